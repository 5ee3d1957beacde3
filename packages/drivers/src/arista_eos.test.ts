import { EosDevice } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { aristaEosDefinition, cleanEosConfig } from './arista_eos.ts';
import { isDriverError } from './DriverError.ts';
import { type SimHarness, startSimHarness } from './testing/startSimHarness.ts';

const harnesses: SimHarness<EosDevice>[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: { initialConfig?: string } = {}) {
  const harness = await startSimHarness((o) => new EosDevice(o), aristaEosDefinition, options);
  harnesses.push(harness);
  return harness;
}

const intended =
  planInventory(12).devices.find((d) => d.networkDriver === 'arista_eos')?.intendedConfig ?? '';

describe('arista_eos driver over SSH against the EOS simulator', () => {
  it('reads the running config without the ! comment lines', async () => {
    const { device, connect } = await start();
    const config = await (await connect()).getConfig();
    expect(config).toBe(device.runningConfig());
    expect(config).not.toMatch(/^! /m);
  });

  it('reads a device started from the intended config back as the cleaned intended', async () => {
    const { connect } = await start({ initialConfig: intended });
    expect(await (await connect()).getConfig()).toBe(cleanEosConfig(intended));
  });

  it('shows the session diff, commits with a timer and confirms', async () => {
    const { device, clock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['interface Loopback0', '   description router id']);
    expect(device.runningConfig()).toBe(before);
    expect(change.deviceDiff).toMatch(/^--- system:\/running-config\n\+\+\+ session:\//);
    expect(change.deviceDiff).toContain('\n+   description router id\n');
    await change.commit();
    const pending = [...device.sessions.values()].find((s) => s.state === 'pendingCommitTimer');
    expect(pending?.rollback?.dueMs).toBe(300_000);
    expect(await driver.getConfig()).toContain('interface Loopback0\n   description router id');
    await change.confirm();
    clock.advance(3_600_000);
    expect(device.runningConfig()).toContain('description router id');
    expect(device.startup.render(device.dialect.grammar.format)).toContain(
      '   description router id',
    );
  });

  it('is rolled back by the switch when the confirm does not come in time', async () => {
    const { device, clock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['hostname renamed'], { confirmTimeoutMs: 90_000 });
    await change.commit();
    expect(device.hostname).toBe('renamed');
    clock.advance(90_000);
    expect(device.runningConfig()).toBe(before);
    await expect(change.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
  });

  it('rolls back when the caller goes away after commit', async () => {
    const { device, clock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.90']);
    await change.commit();
    await driver.session.close();
    expect(device.runningConfig()).toContain('ntp server 192.0.2.90');
    clock.advance(300_000);
    expect(device.runningConfig()).toBe(before);
  });

  it('reports a rejected line with the device message and leaves running as it was', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const error = await driver
      .stage(['ntp server 192.0.2.91', 'ntp servr 192.0.2.92'])
      .catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details).toMatchObject({
      line: 'ntp servr 192.0.2.92',
      deviceMessage: "% Invalid input (at token 1: 'servr')",
    });
    expect(device.runningConfig()).toBe(before);
    expect([...device.sessions.values()].map((s) => s.state)).toEqual(['aborted']);
  });

  it('leaves the old config when the connection drops mid-push', async () => {
    const { device, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    faults.disconnectOn = /^ntp server 192\.0\.2\.94$/;
    await expect(
      driver.stage(['ntp server 192.0.2.93', 'ntp server 192.0.2.94']),
    ).rejects.toMatchObject({ code: 'connection_lost' });
    expect(device.runningConfig()).toBe(before);
  });

  it('reports a refused commit as commit_failed and aborts the session', async () => {
    const { device, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.95']);
    faults.failCommit = true;
    await expect(change.commit()).rejects.toMatchObject({
      code: 'commit_failed',
      details: { deviceMessage: expect.stringMatching(/^% Cannot commit session/) },
    });
    expect(device.runningConfig()).toBe(before);
  });

  it('aborts a committed change at once', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location lab']);
    await change.commit();
    await change.abort();
    expect(device.runningConfig()).toBe(before);
  });

  it('is rolled back by the switch when the connection drops during commit timer', async () => {
    const { device, clock, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.96']);
    faults.disconnectOn = /^commit timer /;
    await expect(change.commit()).rejects.toMatchObject({ code: 'connection_lost' });
    expect(device.runningConfig()).toContain('ntp server 192.0.2.96');
    clock.advance(300_000);
    expect(device.runningConfig()).toBe(before);
  });

  it('rolls back at once on a new session when abort comes after the session was lost', async () => {
    const harness = await start();
    const { device, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location lost']);
    await change.commit();
    await driver.session.close();
    await change.abort();
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(before);
    expect([...device.sessions.values()].map((s) => s.state)).not.toContain('pendingCommitTimer');
  });

  it('stays rolled back on abort after the device timer already rolled back', async () => {
    const { device, clock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location late'], { confirmTimeoutMs: 60_000 });
    await change.commit();
    clock.advance(60_000);
    await change.abort();
    expect(device.runningConfig()).toBe(before);
  });
});
