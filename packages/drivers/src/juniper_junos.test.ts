import { JunosDevice } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { isDriverError } from './DriverError.ts';
import { juniperJunosDefinition } from './juniper_junos.ts';
import { type SimHarness, startSimHarness } from './testing/startSimHarness.ts';

const harnesses: SimHarness<JunosDevice>[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

const intended =
  planInventory(12).devices.find((d) => d.networkDriver === 'juniper_junos')?.intendedConfig ?? '';

async function start() {
  const harness = await startSimHarness((o) => new JunosDevice(o), juniperJunosDefinition, {
    initialConfig: intended,
    hostname: 'edge1',
  });
  harnesses.push(harness);
  return harness;
}

const change = ['set snmp contact noc-desk', 'delete interfaces xe-0/1/1 disable'];

describe('juniper_junos driver over SSH against the Junos simulator', () => {
  it('reads the lab intended config back without the volatile header', async () => {
    const { connect } = await start();
    const driver = await connect();
    expect(await driver.getConfig()).toBe(intended);
  });

  it('answers the Junos pager when screen-length is not 0', async () => {
    const { connect } = await start();
    const driver = await connect();
    expect(await driver.session.send('set cli screen-length 5')).toContain(
      'Screen length set to 5',
    );
    const paged = await driver.session.send('show configuration | display set');
    expect(paged).not.toContain('---(more)---');
    expect(paged.trim()).toBe(intended);
  });

  it('stages under configure exclusive, shows the diff, commits confirmed, confirms', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 90_000 });
    expect(pending.deviceDiff).toBe(
      '[edit interfaces xe-0/1/1]\n-   disable;\n[edit snmp]\n+   contact noc-desk;',
    );
    expect(device.runningConfig()).toBe(intended);
    expect(device.exclusiveOwner).toBeDefined();

    await pending.commit();
    expect(device.confirmMinutesLeft()).toBe(2);
    expect(await driver.session.send('run show configuration snmp | display set')).toContain(
      'set snmp contact noc-desk',
    );
    await pending.confirm();
    expect(device.confirmMinutesLeft()).toBeUndefined();
    expect(device.exclusiveOwner).toBeUndefined();
    clock.advance(10 * 60_000);
    expect(device.runningConfig()).toContain('set snmp contact noc-desk');
    expect(device.runningConfig()).not.toContain('xe-0/1/1 disable');
  });

  it('is rolled back by the router when the confirm does not come in time', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 60_000 });
    await pending.commit();
    expect(device.runningConfig()).toContain('snmp contact');
    clock.advance(60_000);
    expect(device.runningConfig()).toBe(intended);
    await expect(pending.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(device.runningConfig()).toBe(intended);
    expect(device.exclusiveOwner).toBeUndefined();
  });

  it('is rolled back by the router when the caller goes away after commit', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await driver.session.close();
    expect(device.runningConfig()).toContain('snmp contact');
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(intended);
  });

  it('reports a rejected line with the device message, leaving the router untouched', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    const error = await driver
      .stage(['set snmp contact noc', 'set snmpp location x', 'set snmp location y'])
      .catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details).toMatchObject({
      line: 'set snmpp location x',
      deviceMessage: 'terminal:2:(5) syntax error: snmpp',
    });
    expect(device.runningConfig()).toBe(intended);
    expect(device.exclusiveOwner).toBeUndefined();
    expect(device.sharedCandidate.equals(device.running)).toBe(true);
    expect(await driver.getConfig()).toBe(intended);
  });

  it('loads curly-brace text with load merge terminal', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(['snmp {', '    contact noc-desk;', '}']);
    expect(pending.deviceDiff).toBe('[edit snmp]\n+   contact noc-desk;');
    await pending.commit();
    await pending.confirm();
    expect(device.runningConfig()).toContain('set snmp contact noc-desk');
  });

  it('refuses to stage while another session holds the exclusive lock', async () => {
    const { device, connect } = await start();
    const holder = device.openSession('bob');
    holder.execute('configure exclusive');
    const driver = await connect();
    const error = await driver.stage(change).catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details.deviceMessage).toMatch(
      /^error: configuration database locked by:\n {2}bob terminal/,
    );
    expect(device.exclusiveOwner).toBe(holder);
  });

  it('reports a failed commit as commit_failed and discards the candidate', async () => {
    const { device, faults, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    faults.failCommit = true;
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('commit_failed');
    expect(isDriverError(error) && error.details.deviceMessage).toBe(
      'error: configuration check-out failed',
    );
    expect(device.runningConfig()).toBe(intended);
    expect(device.exclusiveOwner).toBeUndefined();
  });

  it('reports a failed confirm and leaves the change to the router timer', async () => {
    const { device, faults, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    faults.failCommit = true;
    await expect(pending.confirm()).rejects.toMatchObject({ code: 'commit_failed' });
    expect(device.exclusiveOwner).toBeUndefined();
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(intended);
  });

  it('aborts a committed change with rollback 1 and commit', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await pending.abort();
    expect(device.runningConfig()).toBe(intended);
    expect(device.confirmMinutesLeft()).toBeUndefined();
    clock.advance(10 * 60_000);
    expect(device.runningConfig()).toBe(intended);
  });

  it('leaves the router on its old config when the connection drops mid-push', async () => {
    const { device, faults, connect } = await start();
    const driver = await connect();
    faults.disconnectOn = /^commit check$/;
    const error = await driver.stage(change).catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('connection_lost');
    expect(device.runningConfig()).toBe(intended);
    delete faults.disconnectOn;
    const again = await connect();
    expect(device.exclusiveOwner).toBeUndefined();
    const pending = await again.stage(change);
    expect(pending.deviceDiff).toContain('+   contact noc-desk;');
    await pending.abort();
  });

  it('is rolled back by the router when the connection drops during commit confirmed', async () => {
    const { device, faults, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    faults.disconnectOn = /^commit confirmed /;
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('connection_lost');
    expect(device.runningConfig()).toContain('snmp contact noc-desk');
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(intended);
  });

  it('leaves the router rolled back on abort after its own timer already rolled back', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 60_000 });
    await pending.commit();
    clock.advance(60_000);
    expect(device.runningConfig()).toBe(intended);
    // `rollback 1` is now the change itself: aborting must not bring it back.
    await pending.abort();
    expect(device.runningConfig()).toBe(intended);
    expect(device.exclusiveOwner).toBeUndefined();
  });

  it('rolls back at once on a new session when abort comes after the session was lost', async () => {
    const harness = await start();
    const { device, connect } = harness;
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await driver.session.close();
    await pending.abort();
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(intended);
    expect(device.confirmMinutesLeft()).toBeUndefined();
    expect(device.exclusiveOwner).toBeUndefined();
  });
});
