import { simPlatforms } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { cleanEosConfig } from './arista_eos.ts';
import { cleanNxosConfig } from './cisco_nxos.ts';
import { driverDefinitions } from './driverDefinitions.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';
import { openCliSession } from './openCliSession.ts';
import { SimulatedDevices } from './testing/SimulatedDevices.ts';

const simulated = new SimulatedDevices();
afterEach(() => simulated.closeAll());

type Platform = 'cisco_ios' | 'cisco_nxos' | 'arista_eos';

const intendedFor = (platform: Platform) =>
  planInventory(12).devices.find((d) => d.networkDriver === platform)?.intendedConfig ?? '';

const cleaners = {
  cisco_ios: (text: string) => text,
  cisco_nxos: cleanNxosConfig,
  arista_eos: cleanEosConfig,
};

async function connect(platform: Platform) {
  return (await simulated.start(platform, { initialConfig: intendedFor(platform) })).connect();
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
    const { device, port } = await simulated.start(platform, { legacy: false });
    const definition = driverDefinitions[platform];
    const session = await openCliSession({
      host: '127.0.0.1',
      port,
      username: 'netops',
      password: 'pw-1',
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
