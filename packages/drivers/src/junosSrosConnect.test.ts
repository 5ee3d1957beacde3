import { afterEach, describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { SimulatedDevices } from './testing/SimulatedDevices.ts';

const simulated = new SimulatedDevices();
afterEach(() => simulated.closeAll());

const intendedFor = (platform: string) =>
  planInventory(12).devices.find((d) => d.networkDriver === platform)?.intendedConfig ?? '';

/** A device on a real SSH server, reached through `connectDevice` by its network_driver. */
async function connect(platform: 'juniper_junos' | 'nokia_sros', classicCli = false) {
  const initialConfig = intendedFor(platform);
  return (await simulated.start(platform, { initialConfig, classicCli })).connect();
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
