import {
  type DeviceFaults,
  JunosDevice,
  ManualClock,
  SimServer,
  SrosDevice,
} from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { connectDevice } from './connectDevice.ts';
import type { DeviceDriver } from './DeviceDriver.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';

const servers: SimServer[] = [];
const drivers: DeviceDriver[] = [];

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.session.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const intendedFor = (platform: string) =>
  planInventory(12).devices.find((d) => d.networkDriver === platform)?.intendedConfig ?? '';

/** A device on a real SSH server, reached through `connectDevice` by its network_driver. */
async function connect(platform: 'juniper_junos' | 'nokia_sros', classicCli = false) {
  const faults: DeviceFaults = {};
  const options = {
    hostname: 'sim1',
    clock: new ManualClock(),
    faults,
    initialConfig: intendedFor(platform),
    classicCli,
  };
  const device = platform === 'juniper_junos' ? new JunosDevice(options) : new SrosDevice(options);
  const server = new SimServer();
  servers.push(server);
  const endpoint = await server.add({ device, username: 'netops', password: 'pw-1', faults });
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

describe('connectDevice for juniper_junos and nokia_sros', () => {
  it.each(['juniper_junos', 'nokia_sros'] as const)(
    'picks the %s driver and reads the intended config back',
    async (platform) => {
      const driver = await connect(platform);
      expect(driver.platform).toBe(platform);
      expect(await driver.getConfig()).toBe(intendedFor(platform));
    },
  );

  it('reads an SR OS classic CLI router after turning its pager off', async () => {
    const driver = await connect('nokia_sros', true);
    const config = await driver.getConfig();
    expect(config).toContain('exit all\nconfigure\n');
    expect(config.split('\n').length).toBeGreaterThan(24);
  });
});
