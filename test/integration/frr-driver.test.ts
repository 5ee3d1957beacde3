import { ManualClock } from '@plumbline/devicesim';
import {
  connectDevice,
  type DeviceDriver,
  type DriverTimers,
  isDriverError,
  MemoryHostKeyStore,
} from '@plumbline/drivers';
import ssh2 from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetFrr } from '../lab/frr.js';
import { type FrrLabState, readLabState } from '../lab/state.js';

let lab: FrrLabState;
const drivers: DeviceDriver[] = [];

beforeAll(async () => {
  lab = readLabState().frr;
  await resetFrr();
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.session.close()));
  await resetFrr();
});

afterAll(async () => {
  await resetFrr();
});

async function connect(timers?: DriverTimers): Promise<DeviceDriver> {
  const driver = await connectDevice({
    ...(timers === undefined ? {} : { timers }),
    platform: 'frr',
    host: lab.host,
    port: lab.port,
    username: lab.username,
    password: lab.password,
    hostKeyStore: new MemoryHostKeyStore(),
    connectTimeoutMs: 15_000,
    commandTimeoutMs: 15_000,
  });
  drivers.push(driver);
  return driver;
}

/** The running config as vtysh prints it to a separate SSH exec, outside the driver. */
function vtyshRunningConfig(): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', reject);
    client.on('ready', () =>
      client.exec('show running-config', (error, channel) => {
        if (error) return reject(error);
        let text = '';
        channel.on('data', (data: Buffer) => {
          text += data.toString();
        });
        channel.on('close', () => {
          client.end();
          resolve(text);
        });
      }),
    );
    client.connect({
      host: lab.host,
      port: lab.port,
      username: lab.username,
      password: lab.password,
    });
  });
}

describe('the FRR driver against the lab router', () => {
  it('reads the running config without the volatile header lines', async () => {
    const driver = await connect();
    const config = await driver.getConfig();
    expect(config).toMatch(/^!\nfrr version /);
    expect(config).not.toContain('Building configuration');
    expect(config).not.toContain('Current configuration:');
    expect(config).toContain('hostname lab-frr1\n');
    expect(config).toContain(' neighbor 10.255.1.2 description lab-peer\n');
    expect(config).toMatch(/\nend\n$/);
  });

  it('pushes a change that vtysh then shows, and saves it on confirm', async () => {
    const driver = await connect();
    const change = await driver.stage([
      'interface lo',
      ' description changed by plumbline',
      'exit',
      'ip route 203.0.113.0/24 blackhole',
    ]);
    expect(change.deviceDiff).toBeUndefined();
    await change.commit();

    const shown = await vtyshRunningConfig();
    expect(shown).toContain('interface lo\n description changed by plumbline\nexit');
    expect(shown).toContain('ip route 203.0.113.0/24 blackhole');
    expect(shown).not.toContain('description lab loopback');
    await change.confirm();
    expect(await vtyshRunningConfig()).toContain('ip route 203.0.113.0/24 blackhole');
  });

  it('on a rejected line restores the previous config and names the line and message', async () => {
    const driver = await connect();
    const before = await vtyshRunningConfig();
    const change = await driver.stage([
      'ip route 203.0.113.0/24 blackhole',
      'interface lo',
      ' description half applied',
      'exit',
      'router bgp 65001',
      ' neighbor 10.255.1.2 bogus-option',
    ]);
    const error = await change.commit().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isDriverError(error) && error.code).toBe('command_rejected');
    if (!isDriverError(error)) return;
    expect(error.details.line).toBe(' neighbor 10.255.1.2 bogus-option');
    expect(error.details.deviceMessage).toMatch(/^% Unknown command: /);
    expect(error.message).toContain('the previous configuration was restored');
    expect(await vtyshRunningConfig()).toBe(before);
  });

  it('rolls a committed change back on abort', async () => {
    const driver = await connect();
    const before = await driver.getConfig();
    const change = await driver.stage(['no router ospf', 'hostname lab-frr1-renamed']);
    await change.commit();
    expect(await vtyshRunningConfig()).not.toContain('router ospf');
    await change.abort();
    expect(await driver.getConfig()).toBe(before);
  });

  /** Commits a static route that must be confirmed within 60 s of `clock`'s time. */
  async function commitWithDeadline(clock: ManualClock) {
    const driver = await connect(clock);
    const before = await vtyshRunningConfig();
    const change = await driver.stage(['ip route 192.0.2.0/24 blackhole'], {
      confirmTimeoutMs: 60_000,
    });
    await change.commit();
    return { driver, before, change };
  }

  it('rolls back by itself when confirm does not come in time', async () => {
    const clock = new ManualClock();
    const { before, change } = await commitWithDeadline(clock);
    expect(await vtyshRunningConfig()).toContain('ip route 192.0.2.0/24 blackhole');

    clock.advance(59_999);
    expect(await vtyshRunningConfig()).toContain('ip route 192.0.2.0/24 blackhole');
    clock.advance(1);
    await expect(change.confirm()).rejects.toMatchObject({ code: 'rolled_back' });
    expect(await vtyshRunningConfig()).toBe(before);
  });

  it('rolls back when the caller goes away after commit', async () => {
    const clock = new ManualClock();
    const { driver, before, change } = await commitWithDeadline(clock);
    await driver.session.close();

    clock.advance(60_000);
    // abort() waits for the rollback the deadline started, on a session of its own.
    await change.abort();
    expect(await vtyshRunningConfig()).toBe(before);
  });
});
