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
import { driverDefinitions } from './driverDefinitions.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';
import { openCliSession } from './openCliSession.ts';

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

describe('the session before prepare()', () => {
  async function pagedRunningConfig(platform: Platform) {
    const faults: DeviceFaults = {};
    const Device = devices[platform];
    const device = new Device({ hostname: 'pg1', clock: new ManualClock(), faults });
    const server = new SimServer();
    servers.push(server);
    const endpoint = await server.add({ device, username: 'u', password: 'pw-2', faults });
    const definition = driverDefinitions[platform];
    const session = await openCliSession({
      host: '127.0.0.1',
      port: endpoint.port,
      username: 'u',
      password: 'pw-2',
      hostKeyStore: new MemoryHostKeyStore(),
      promptPattern: definition?.promptPattern ?? /#$/,
      ...(definition?.pager === undefined ? {} : { pager: definition.pager }),
    });
    const output = await session.send('show running-config').finally(() => session.close());
    return { output, config: device.runningConfig() };
  }

  // NX-OS's default config has a blank line at line 24, the end of the first page: the pager
  // must keep it.
  it.each(['cisco_ios', 'cisco_nxos', 'arista_eos'] as const)(
    '%s: pages show running-config and the session answers the pager',
    async (platform) => {
      const { output, config } = await pagedRunningConfig(platform);
      expect(output).not.toMatch(/--More--/);
      expect(output).toContain(config);
    },
  );
});
