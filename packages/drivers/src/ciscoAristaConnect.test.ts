import {
  type DeviceFaults,
  EosDevice,
  IosDevice,
  ManualClock,
  NxosDevice,
  SimServer,
  simPlatforms,
} from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { cleanEosConfig } from './arista_eos.ts';
import { cleanNxosConfig } from './cisco_nxos.ts';
import { connectDevice } from './connectDevice.ts';
import type { DeviceDriver } from './DeviceDriver.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';

const servers: SimServer[] = [];
const drivers: DeviceDriver[] = [];

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.session.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

type Platform = 'cisco_ios' | 'cisco_nxos' | 'arista_eos';

const intendedFor = (platform: Platform) =>
  planInventory(12).devices.find((d) => d.networkDriver === platform)?.intendedConfig ?? '';

const devices = { cisco_ios: IosDevice, cisco_nxos: NxosDevice, arista_eos: EosDevice };
const cleaners = {
  cisco_ios: (text: string) => text,
  cisco_nxos: cleanNxosConfig,
  arista_eos: cleanEosConfig,
};

async function connect(platform: Platform) {
  const faults: DeviceFaults = {};
  const Device = devices[platform];
  const options = { hostname: 'sim1', clock: new ManualClock(), faults };
  const device = new Device({ ...options, initialConfig: intendedFor(platform) });
  const server = new SimServer();
  servers.push(server);
  const endpoint = await server.add({
    device,
    username: 'netops',
    password: 'pw-1',
    faults,
    legacy: platform === 'cisco_ios',
  });
  const driver = await connectDevice({
    platform,
    host: '127.0.0.1',
    port: endpoint.port,
    username: 'netops',
    password: 'pw-1',
    hostKeyStore: new MemoryHostKeyStore(),
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 5_000,
  });
  drivers.push(driver);
  return driver;
}

describe('connectDevice for cisco_ios, cisco_nxos and arista_eos', () => {
  it.each(['cisco_ios', 'cisco_nxos', 'arista_eos'] as const)(
    'picks the %s driver and reads a fleet device started from intended as in sync',
    async (platform) => {
      const driver = await connect(platform);
      expect(driver.platform).toBe(platform);
      const intended = intendedFor(platform);
      expect(await driver.getConfig()).toBe(cleaners[platform](intended));
    },
  );

  it('registers the three simulator factories', () => {
    expect(Object.keys(simPlatforms)).toEqual(
      expect.arrayContaining(['cisco_ios', 'cisco_nxos', 'arista_eos']),
    );
  });
});
