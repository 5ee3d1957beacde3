import { SrosDevice } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { isDriverError } from './DriverError.ts';
import { nokiaSrosDefinition, SrosDriver } from './nokia_sros.ts';
import { type SimHarness, startSimHarness } from './testing/startSimHarness.ts';

const harnesses: SimHarness<SrosDevice>[] = [];

afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

const intended =
  planInventory(12).devices.find((d) => d.networkDriver === 'nokia_sros')?.intendedConfig ?? '';

async function start(classicCli = false) {
  const harness = await startSimHarness(
    (o) => new SrosDevice({ ...o, classicCli }),
    nokiaSrosDefinition,
    { initialConfig: intended, hostname: 'pe1' },
  );
  harnesses.push(harness);
  return harness;
}

const change = ['/configure system contact "noc"', '/configure port 1/1/c2/1 admin-state enable'];

describe('nokia_sros driver over SSH against the MD-CLI simulator', () => {
  it('reads the lab intended config back without the volatile lines', async () => {
    const { connect } = await start();
    const driver = await connect();
    expect(driver instanceof SrosDriver && driver.isClassicCli).toBe(false);
    expect(await driver.getConfig()).toBe(intended);
  });

  it('answers the MD-CLI pager when environment more is on', async () => {
    const { connect } = await start();
    const driver = await connect();
    await driver.session.send('environment more true');
    const paged = await driver.session.send('admin show configuration');
    expect(paged).not.toContain('Press Q to quit');
    expect(paged).toContain('# Finished ');
    expect(paged.split('\n').length).toBeGreaterThan(100);
  });

  it('stages in a private candidate, shows compare, commits confirmed and accepts', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 90_000 });
    expect(pending.deviceDiff).toBe(
      [
        '    configure {',
        '        port 1/1/c2/1 {',
        '-           admin-state disable',
        '+           admin-state enable',
        '        }',
        '        system {',
        '+           contact "noc"',
        '        }',
        '    }',
      ].join('\n'),
    );
    expect(device.runningConfig()).toBe(intended);
    await pending.commit();
    expect(device.hasPendingConfirm()).toBe(true);
    expect(await driver.getConfig()).toContain('contact "noc"');
    await pending.confirm();
    expect(device.hasPendingConfirm()).toBe(false);
    clock.advance(10 * 60_000);
    expect(device.runningConfig()).toContain('contact "noc"');
  });

  it('is rolled back by the router when the accept does not come in time', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 60_000 });
    await pending.commit();
    clock.advance(60_000);
    expect(device.runningConfig()).toBe(intended);
    await expect(pending.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(await driver.getConfig()).toBe(intended);
  });

  it('is rolled back by the router when the caller goes away after commit', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await driver.session.close();
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(intended);
  });

  it('reports a rejected line with the MINOR message and leaves the router untouched', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    const error = await driver
      .stage(['/configure system contact "noc"', '/configure system bogus 1'])
      .catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details).toMatchObject({
      line: '/configure system bogus 1',
      deviceMessage: "MINOR: MGMT_CORE #2201: Unknown element - 'bogus'",
    });
    expect(device.runningConfig()).toBe(intended);
    const pending = await driver.stage(change);
    expect(pending.deviceDiff).toContain('+           contact "noc"');
    await pending.abort();
  });

  it('cannot commit while another session holds the exclusive datastore', async () => {
    const { device, connect } = await start();
    const holder = device.openSession('bob');
    holder.execute('edit-config exclusive');
    const driver = await connect();
    const pending = await driver.stage(change);
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('commit_failed');
    expect(isDriverError(error) && error.details.deviceMessage).toMatch(
      /^MINOR: MGMT_CORE #2052: Exclusive datastore access unavailable - /,
    );
    expect(device.runningConfig()).toBe(intended);
  });

  it('refuses lines that would commit or leave the candidate behind its back', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    const error = await driver
      .stage(['/configure system contact "noc"', 'commit'])
      .catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    expect(isDriverError(error) && error.details.line).toBe('commit');
    expect(device.runningConfig()).toBe(intended);
  });

  it('reports a failed commit as commit_failed', async () => {
    const { device, faults, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    faults.failCommit = true;
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('commit_failed');
    expect(device.runningConfig()).toBe(intended);
  });

  it('cancels a committed change at once on abort', async () => {
    const { device, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await pending.abort();
    expect(device.runningConfig()).toBe(intended);
    expect(device.hasPendingConfirm()).toBe(false);
  });

  it('leaves the router on its old config when the connection drops mid-push', async () => {
    const { device, faults, connect } = await start();
    const driver = await connect();
    faults.disconnectOn = /^validate$/;
    const error = await driver.stage(change).catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('connection_lost');
    expect(device.runningConfig()).toBe(intended);
    expect(device.hasPendingConfirm()).toBe(false);
  });

  it('is rolled back by the router when the connection drops during commit confirmed', async () => {
    const { device, faults, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change);
    faults.disconnectOn = /^commit confirmed \d+$/;
    const error = await pending.commit().catch((e: unknown) => e);
    expect(isDriverError(error) && error.code).toBe('connection_lost');
    expect(device.runningConfig()).toContain('contact "noc"');
    clock.advance(5 * 60_000);
    expect(device.runningConfig()).toBe(intended);
  });

  it('leaves the router rolled back on abort after its own timer already rolled back', async () => {
    const { device, clock, connect } = await start();
    const driver = await connect();
    const pending = await driver.stage(change, { confirmTimeoutMs: 60_000 });
    await pending.commit();
    clock.advance(60_000);
    await pending.abort();
    expect(device.runningConfig()).toBe(intended);
  });

  it('cancels at once on a new session when abort comes after the session was lost', async () => {
    const harness = await start();
    const { device, connect } = harness;
    const driver = await connect();
    const pending = await driver.stage(change);
    await pending.commit();
    await driver.session.close();
    await pending.abort();
    expect(harness.logins).toBe(2);
    expect(device.runningConfig()).toBe(intended);
    expect(device.hasPendingConfirm()).toBe(false);
  });
});

describe('nokia_sros driver over SSH against the classic CLI simulator', () => {
  it('reads the configuration with admin display-config and refuses to push', async () => {
    const { connect } = await start(true);
    const driver = await connect();
    expect(driver instanceof SrosDriver && driver.isClassicCli).toBe(true);
    const config = await driver.getConfig();
    expect(config).toMatch(/^# TiMOS-B-23\.10\.R1 /);
    expect(config).not.toMatch(/# Generated|# Finished/);
    expect(config).toContain('exit all\nconfigure\n');
    expect(config).toMatch(/^ {8}name "[\w-]+"$/m);
    await expect(driver.stage(change)).rejects.toMatchObject({ code: 'unsupported_platform' });
  });
});
