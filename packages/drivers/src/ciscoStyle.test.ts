import { EosDevice, IosDevice, ManualClock, NxosDevice } from '@plumbline/devicesim';

import { describe, expect, it } from 'vitest';
import { planInventory } from '../../../test/lab/seed/planInventory.ts';
import { cleanEosConfig, commitTimer } from './arista_eos.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import { cleanIosConfig } from './cisco_ios.ts';
import { cleanNxosConfig } from './cisco_nxos.ts';
import { cleanConfig, deviceError } from './ciscoStyle.ts';

const plan = planInventory(12);
const intendedFor = (driver: string) =>
  plan.devices.find((d) => d.networkDriver === driver)?.intendedConfig ?? '';

const vendors = [
  { driver: 'cisco_ios', Device: IosDevice, clean: cleanIosConfig },
  { driver: 'cisco_nxos', Device: NxosDevice, clean: cleanNxosConfig },
  { driver: 'arista_eos', Device: EosDevice, clean: cleanEosConfig },
] as const;

describe('volatile-line cleaning', () => {
  it.each(vendors)(
    '$driver: a device started from its intended config reads back equal to it',
    async ({ driver, Device, clean }) => {
      const intended = intendedFor(driver);
      const device = new Device({
        hostname: 'x',
        clock: new ManualClock(),
        faults: {},
        initialConfig: intended,
      });
      const cli = device.openSession('admin');
      const shown = (await cli.execute('show running-config')).output;
      expect(shown).not.toBe(intended);
      expect(clean(shown)).toBe(clean(intended));
      if (driver === 'cisco_ios') expect(clean(shown)).toBe(intended);
    },
  );

  it('drops IOS timestamps and the extra ! they leave, keeping indented ones', () => {
    const output = [
      'Building configuration...',
      '',
      'Current configuration : 10 bytes',
      '!',
      '! Last configuration change at 10:13:42 UTC Tue Oct 4 2022 by admin',
      '!',
      'router bgp 1',
      ' !',
      ' address-family ipv4',
      'end',
    ].join('\n');
    expect(cleanIosConfig(output)).toBe('!\nrouter bgp 1\n !\n address-family ipv4\nend');
    expect(cleanConfig('a\n!\n!\nb', [])).toBe('a\n!\nb');
  });

  it('finds the device error with its caret line', () => {
    const output = "           ^\n% Invalid input detected at '^' marker.\n\n";
    expect(deviceError(output, /^%/)).toBe(output.trim());
    expect(deviceError('Building configuration...\n[OK]\n', /^%/)).toBeUndefined();
  });

  it('refuses lines with control characters before anything is sent', () => {
    expect(() => checkConfigLines('h:1', ['hostname a\nreload'])).toThrow(/control character/);
    expect(() => checkConfigLines('h:1', ['x'.repeat(5000)])).toThrow(/at most 4096/);
  });

  it('writes EOS commit timers as hh:mm:ss, rounded up', () => {
    expect(commitTimer(300_000)).toBe('00:05:00');
    expect(commitTimer(3_661_500)).toBe('01:01:02');
  });
});
