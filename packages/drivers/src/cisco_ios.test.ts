import { IosDevice } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { ciscoIosDefinition } from './cisco_ios.ts';
import { isDriverError } from './DriverError.ts';
import { type SimHarness, startSimHarness } from './testing/startSimHarness.ts';

const harnesses: SimHarness<IosDevice>[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: { initialConfig?: string } = {}) {
  const harness = await startSimHarness((o) => new IosDevice(o), ciscoIosDefinition, {
    ...options,
    legacy: true,
  });
  harnesses.push(harness);
  return harness;
}

const intended =
  planInventory(12).devices.find((d) => d.networkDriver === 'cisco_ios')?.intendedConfig ?? '';

describe('cisco_ios driver over SSH (legacy algorithms) against the IOS simulator', () => {
  it('reads the running config without volatile lines', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    const config = await driver.getConfig();
    expect(config).toBe(device.runningConfig());
    expect(config).not.toMatch(/Building configuration|Current configuration|Last configuration/);
  });

  it('reads a device started from the intended config back as that config', async () => {
    const { connect } = await start({ initialConfig: intended });
    expect(await (await connect()).getConfig()).toBe(intended);
  });

  it('pushes under a revert timer, and keeps the change once confirmed', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const change = await driver.stage(['interface Loopback5', ' description pushed'], {
      confirmTimeoutMs: 120_000,
    });
    expect(change.deviceDiff).toBeUndefined();
    await change.commit();
    expect(await driver.getConfig()).toContain('interface Loopback5\n description pushed');
    expect(device.pendingRevert?.minutes).toBe(2);
    await change.confirm();
    expect(device.pendingRevert).toBeUndefined();
    clock.advance(600_000);
    expect(device.runningConfig()).toContain('description pushed');
    expect(device.startup.render(device.dialect.grammar.format)).toContain(' description pushed');
  });

  it('is reverted by the device when the confirm does not come in time', async () => {
    const { device, clock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.77'], { confirmTimeoutMs: 60_000 });
    await change.commit();
    expect(device.runningConfig()).toContain('ntp server 192.0.2.77');
    clock.advance(60_000);
    expect(device.runningConfig()).toBe(before);
    await expect(change.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
  });

  it('reports a rejected line with the device message and reverts at once', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.78', 'hostnme typo']);
    const error = await change.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details).toMatchObject({
      line: 'hostnme typo',
      deviceMessage: "^\n% Invalid input detected at '^' marker.",
    });
    expect(device.runningConfig()).toBe(before);
    expect(device.pendingRevert).toBeUndefined();
  });

  it('leaves the old config when the connection drops mid-push (the timer reverts)', async () => {
    const { device, clock, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.80', 'ntp server 192.0.2.81']);
    faults.disconnectOn = /^ntp server 192\.0\.2\.81$/;
    await expect(change.commit()).rejects.toMatchObject({ code: 'connection_lost' });
    expect(device.runningConfig()).not.toBe(before);
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(before);
  });

  it('is reverted by the device when the caller goes away after commit', async () => {
    const { device, clock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location gone']);
    await change.commit();
    await driver.session.close();
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(before);
  });

  it('rolls back now on abort after commit', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['snmp-server location lab']);
    await change.commit();
    await change.abort();
    expect(device.runningConfig()).toBe(before);
  });

  it('refuses to push when the archive feature is off, before changing anything', async () => {
    const { connect } = await start({ initialConfig: intended });
    const driver = await connect();
    await expect(driver.stage(['ntp server 192.0.2.79'])).rejects.toMatchObject({
      code: 'commit_failed',
      message: expect.stringContaining('Archive feature not enabled'),
    });
  });

  it('refuses to stage while another change waits for configure confirm', async () => {
    const { connect } = await start();
    const first = await connect();
    await (await first.stage(['snmp-server location one'])).commit();
    const second = await connect();
    await expect(second.stage(['snmp-server location two'])).rejects.toMatchObject({
      code: 'commit_failed',
      message: expect.stringContaining('waiting for `configure confirm`'),
    });
  });

  it('reports a failing revert-timer start as commit_failed and changes nothing', async () => {
    const { device, faults, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const change = await driver.stage(['ntp server 192.0.2.82']);
    faults.failCommit = true;
    await expect(change.commit()).rejects.toMatchObject({ code: 'commit_failed' });
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
    expect(device.pendingRevert).toBeUndefined();
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
