import type { SimPlatform } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import { failureOf } from './testing/failureOf.ts';
import { SimulatedDevices } from './testing/SimulatedDevices.ts';

const simulated = new SimulatedDevices();
afterEach(() => simulated.closeAll());

const platforms: SimPlatform[] = [
  'cisco_ios',
  'cisco_nxos',
  'arista_eos',
  'juniper_junos',
  'nokia_sros',
];

describe('vendor drivers facing hostile output', () => {
  it.each(platforms)('%s: reads the same config through ANSI noise as without it', async (p) => {
    const { faults, connect } = await simulated.start(p);
    const clean = await (await connect()).getConfig();
    faults.ansiNoise = true;
    const driver = await connect();
    expect(await driver.getConfig()).toBe(clean);
    expect(clean.split('\n').length).toBeGreaterThan(1);
  });

  it.each(platforms)('%s: a 50 MB answer to the config fetch is output_too_large', async (p) => {
    const { faults, connect } = await simulated.start(p);
    const driver = await connect({ maxOutputBytes: 2 * 1024 * 1024 });
    faults.flood = { on: /show (running-)?config|display-config/, bytes: 50 * 1024 * 1024 };
    const error = await failureOf(driver.getConfig());
    expect(error.code).toBe('output_too_large');
    expect(error.message).toMatch(/output of "[^"]+" exceeded 2097152 bytes/);
    expect(driver.session.closed).toBe(true);
  });
});
