import { NxosDevice } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { ciscoNxosDefinition } from './cisco_nxos.ts';
import { isDriverError } from './DriverError.ts';
import { type SimHarness, startSimHarness } from './testing/startSimHarness.ts';

const harnesses: SimHarness<NxosDevice>[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

/** The NX-OS deadline is the driver's own: tests move the harness's driver-side clock. */
async function start(options: { initialConfig?: string } = {}) {
  const harness = await startSimHarness((o) => new NxosDevice(o), ciscoNxosDefinition, options);
  harnesses.push(harness);
  return harness;
}

const intended =
  planInventory(12).devices.find((d) => d.networkDriver === 'cisco_nxos')?.intendedConfig ?? '';

describe('cisco_nxos driver over SSH against the NX-OS simulator', () => {
  it('reads the running config without the !Command/!Time header', async () => {
    const { device, connect } = await start();
    const config = await (await connect()).getConfig();
    expect(config).toBe(device.runningConfig().trim());
    expect(config).not.toMatch(/^!/m);
  });

  it('reads a device started from the intended config back as it, header aside', async () => {
    const { connect } = await start({ initialConfig: intended });
    const config = await (await connect()).getConfig();
    expect(config).toBe(intended.replace(/^!Command: show running-config\n\n/, ''));
  });

  it('stages in a session without touching running, commits, and confirms', async () => {
    const { device, driverClock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['interface loopback7', '  description pushed']);
    expect(device.runningConfig()).toBe(before);
    expect(change.deviceDiff).toContain('interface loopback7');
    expect(change.deviceDiff).toContain('description pushed');
    await change.commit();
    expect(change.deviceDiff).toBe('!!\ninterface loopback7\n  description pushed');
    expect(device.checkpoints.size).toBe(1);
    expect(await driver.getConfig()).toContain('interface loopback7\n  description pushed');
    await change.confirm();
    expect(device.checkpoints.size).toBe(0);
    driverClock.advance(3_600_000);
    expect(device.runningConfig()).toContain('description pushed');
    expect(device.startup.render(device.dialect.grammar.format)).toContain('  description pushed');
  });

  it('rolls back to the checkpoint when the confirm does not come in time', async () => {
    const { device, driverClock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['hostname renamed'], { confirmTimeoutMs: 60_000 });
    await change.commit();
    expect(device.hostname).toBe('renamed');
    driverClock.advance(60_000);
    await expect(change.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(device.runningConfig()).toBe(before);
  });

  it('reports a rejected line with the device message and leaves running as it was', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const error = await driver
      .stage(['feature lldp', 'feature bgp extra'])
      .catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details.line).toBe('feature bgp extra');
    expect(isDriverError(error) && error.details.deviceMessage).toMatch(
      /\^\n% Invalid command at '\^' marker\.$/,
    );
    expect(device.runningConfig()).toBe(before);
    expect(await driver.getConfig()).toBe(before.trim());
  });

  it('leaves the old config when the connection drops mid-push', async () => {
    const { device, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    faults.disconnectOn = /^ntp server 192\.0\.2\.81/;
    await expect(
      driver.stage(['ntp server 192.0.2.80 use-vrf management', 'ntp server 192.0.2.81']),
    ).rejects.toMatchObject({ code: 'connection_lost' });
    expect(device.runningConfig()).toBe(before);
  });

  it('reports a refused session commit as commit_failed and changes nothing', async () => {
    const { device, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location refused']);
    faults.failCommit = true;
    await expect(change.commit()).rejects.toMatchObject({
      code: 'commit_failed',
      details: { deviceMessage: expect.stringContaining('Commit Failed') },
    });
    expect(device.runningConfig()).toBe(before);
    expect(device.checkpoints.size).toBe(0);
  });

  it('rolls back on abort after commit, and reports a failed rollback', async () => {
    const { device, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const first = await driver.stage(['snmp-server location lab']);
    await first.commit();
    await first.abort();
    expect(device.runningConfig()).toBe(before);
    const second = await driver.stage(['snmp-server location lab2']);
    await second.commit();
    faults.failCommit = true;
    await expect(second.abort()).rejects.toMatchObject({ code: 'commit_failed' });
    expect(device.runningConfig()).toContain('snmp-server location lab2');
  });

  it('rolls back on a new session when the caller went away after commit', async () => {
    const harness = await start();
    const { device, driverClock, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location gone']);
    await change.commit();
    await driver.session.close();
    expect(device.runningConfig()).toContain('snmp-server location gone');
    driverClock.advance(5 * 60_000);
    // confirm() waits for the rollback the deadline started on a second login, then reports it.
    await expect(change.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(before);
    expect(device.checkpoints.size).toBe(0);
  });

  it('rolls back to the checkpoint at once when the connection drops during commit', async () => {
    const harness = await start();
    const { device, faults, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location half']);
    faults.disconnectOn = /^commit$/;
    const error = await change.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('connection_lost');
    expect(isDriverError(error) && error.message).toMatch(/rolled back to checkpoint plumbline-/);
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(before);
  });

  it('says so when the deadline passed and the rollback could not run', async () => {
    const { device, driverClock, faults, connect } = await start();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location stuck']);
    await change.commit();
    faults.failCommit = true;
    driverClock.advance(5 * 60_000);
    await expect(change.confirm()).rejects.toMatchObject({
      code: 'commit_failed',
      message: expect.stringContaining('deadline passed and rolling back failed'),
    });
    expect(device.runningConfig()).toContain('snmp-server location stuck');
    await change.abort();
    expect(device.runningConfig()).not.toContain('snmp-server location stuck');
  });

  it('rolls back at once on a new session when abort comes after the session was lost', async () => {
    const harness = await start();
    const { device, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage(['snmp-server location lost']);
    await pending.commit();
    await driver.session.close();
    await pending.abort();
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(before);
  });
});
