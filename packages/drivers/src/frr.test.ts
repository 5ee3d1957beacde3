import { afterEach, describe, expect, it } from 'vitest';
import { isDriverError } from './DriverError.ts';
import { frrDriver } from './frr.ts';
import { FakeVtyshDevice } from './testing/FakeVtyshDevice.ts';
import { type SimHarness, startSimHarness } from './testing/startSimHarness.ts';

const harnesses: SimHarness<FakeVtyshDevice>[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

/** The FRR driver over SSH against a fake vtysh; the lab router is test/integration's. */
async function start() {
  const harness = await startSimHarness((o) => new FakeVtyshDevice(o.hostname), frrDriver);
  harnesses.push(harness);
  return harness;
}

const change = [
  'interface lo',
  ' description changed by plumbline',
  'exit',
  'ip route 203.0.113.0/24 blackhole',
];

describe('frr driver over SSH against a fake vtysh', () => {
  it('reads the running config without the Building/Current configuration lines', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    expect(await driver.getConfig()).toBe(device.runningConfig());
  });

  it('applies a change live, keeps it on confirm and saves it', async () => {
    const { device, driverClock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 60_000 });
    expect(pending.deviceDiff).toBeUndefined();
    await pending.commit();
    expect(device.runningConfig()).toContain('interface lo\n description changed by plumbline\n');
    expect(device.runningConfig()).toContain('ip route 203.0.113.0/24 blackhole\n');
    await pending.confirm();
    driverClock.advance(10 * 60_000);
    expect(device.runningConfig()).toContain('ip route 203.0.113.0/24 blackhole\n');
    expect(device.saved).toBe(device.runningConfig());
  });

  it('restores the previous config when the confirm does not come in time', async () => {
    const { device, driverClock, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 60_000 });
    await pending.commit();
    driverClock.advance(59_999);
    expect(device.runningConfig()).not.toBe(before);
    driverClock.advance(1);
    // confirm() waits for the rollback the deadline started, then reports it.
    await expect(pending.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(device.runningConfig()).toBe(before);
    expect(device.saved).toBeUndefined();
  });

  it('restores the previous config on a new session when the caller went away', async () => {
    const harness = await start();
    const { device, driverClock, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await driver.session.close();
    expect(device.runningConfig()).not.toBe(before);
    driverClock.advance(5 * 60_000);
    await expect(pending.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(device.runningConfig()).toBe(before);
    expect(harness.logins).toBe(2);
  });

  it('reports a rejected line with the device message and restores what went before', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage([...change, 'router bgp 65001', ' neighbr 10.0.0.9']);
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details).toMatchObject({
      line: ' neighbr 10.0.0.9',
      deviceMessage: '% Unknown command: neighbr 10.0.0.9',
    });
    expect(isDriverError(error) && error.message).toContain(
      'the previous configuration was restored',
    );
    expect(device.runningConfig()).toBe(before);
  });

  it('restores the previous config at once when the connection drops mid-push', async () => {
    const harness = await start();
    const { device, faults, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage(change);
    faults.disconnectOn = /^ip route 203/;
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('connection_lost');
    expect(isDriverError(error) && error.message).toContain(
      'the previous configuration was restored',
    );
    expect(device.runningConfig()).toBe(before);
    expect(harness.logins).toBe(2);
  });

  it('restores the previous config at once on abort after commit', async () => {
    const { device, connect } = await start();
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage(['no router bgp 65001', 'hostname renamed']);
    await pending.commit();
    expect(device.hostname).toBe('renamed');
    await pending.abort();
    expect(device.runningConfig()).toBe(before);
    await expect(pending.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
  });

  it('rolls back at once on a new session when abort comes after the session was lost', async () => {
    const harness = await start();
    const { device, connect } = harness;
    const before = device.runningConfig();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await driver.session.close();
    await pending.abort();
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(before);
  });
});
