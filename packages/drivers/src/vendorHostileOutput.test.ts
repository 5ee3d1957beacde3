import {
  type DeviceFaults,
  EosDevice,
  IosDevice,
  JunosDevice,
  ManualClock,
  NxosDevice,
  type SimDevice,
  type SimDeviceOptions,
  SimServer,
  SrosDevice,
} from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDevice } from './connectDevice.ts';
import type { DeviceDriver } from './DeviceDriver.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';
import { failureOf } from './testing/failureOf.ts';

const servers: SimServer[] = [];
const drivers: DeviceDriver[] = [];

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.session.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const simulators = {
  cisco_ios: (o: SimDeviceOptions) => new IosDevice(o),
  cisco_nxos: (o: SimDeviceOptions) => new NxosDevice(o),
  arista_eos: (o: SimDeviceOptions) => new EosDevice(o),
  juniper_junos: (o: SimDeviceOptions) => new JunosDevice(o),
  nokia_sros: (o: SimDeviceOptions) => new SrosDevice(o),
} satisfies Record<string, (o: SimDeviceOptions) => SimDevice>;
type SimulatedPlatform = keyof typeof simulators;
const platforms = Object.keys(simulators) as SimulatedPlatform[];

async function startDevice(platform: SimulatedPlatform) {
  const faults: DeviceFaults = {};
  const device = simulators[platform]({ hostname: 'noisy1', clock: new ManualClock(), faults });
  const server = new SimServer();
  servers.push(server);
  const endpoint = await server.add({
    device,
    username: 'netops',
    password: 'pw-1',
    faults,
    legacy: platform === 'cisco_ios',
  });
  const connect = async (extra: { maxOutputBytes?: number } = {}) => {
    const driver = await connectDevice({
      platform,
      host: '127.0.0.1',
      port: endpoint.port,
      username: 'netops',
      password: 'pw-1',
      hostKeyStore: new MemoryHostKeyStore(),
      commandTimeoutMs: 10_000,
      ...extra,
    });
    drivers.push(driver);
    return driver;
  };
  return { faults, connect };
}

describe('vendor drivers facing hostile output', () => {
  it.each(platforms)('%s: reads the same config through ANSI noise as without it', async (p) => {
    const { faults, connect } = await startDevice(p);
    const clean = await (await connect()).getConfig();
    faults.ansiNoise = true;
    const driver = await connect();
    expect(await driver.getConfig()).toBe(clean);
    expect(clean.split('\n').length).toBeGreaterThan(1);
  });

  it.each(platforms)('%s: a 50 MB answer to the config fetch is output_too_large', async (p) => {
    const { faults, connect } = await startDevice(p);
    const driver = await connect({ maxOutputBytes: 2 * 1024 * 1024 });
    faults.flood = { on: /show (running-)?config|display-config/, bytes: 50 * 1024 * 1024 };
    const error = await failureOf(driver.getConfig());
    expect(error.code).toBe('output_too_large');
    expect(error.message).toMatch(/output of "[^"]+" exceeded 2097152 bytes/);
    expect(driver.session.closed).toBe(true);
  });
});
