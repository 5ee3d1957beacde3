import { describe, expect, it } from 'vitest';
import { planInventory } from '../../../../test/lab/seed/planInventory.ts';
import type { DeviceCli } from '../DeviceCli.ts';
import { ManualClock } from '../SimClock.ts';
import { EosDevice } from './EosDevice.ts';

function start(initialConfig?: string) {
  const clock = new ManualClock();
  const faults = {};
  const device = new EosDevice({
    hostname: 'sw1',
    clock,
    faults,
    ...(initialConfig === undefined ? {} : { initialConfig }),
  });
  return { clock, faults, device, cli: device.openSession('admin') };
}

async function run(cli: DeviceCli, ...lines: string[]): Promise<string> {
  let output = '';
  for (const line of lines) output += (await cli.execute(line)).output;
  return output;
}

const intended = planInventory(12).devices.find((d) => d.networkDriver === 'arista_eos');

describe('EOS simulator', () => {
  it('names interfaces and sessions in the prompt as EOS does', async () => {
    const { cli } = start();
    await run(cli, 'configure', 'interface Ethernet1');
    expect(cli.prompt()).toBe('sw1(config-if-Et1)#');
    await run(cli, 'router bgp 65001', 'address-family ipv4');
    expect(cli.prompt()).toBe('sw1(config-router-bgp-af)#');
    await run(cli, 'end', 'configure session plumbline-1', 'interface Management1');
    expect(cli.prompt()).toBe('sw1(config-s-plumbl-if-Ma1)#');
  });

  it('answers terminal length and width as EOS does, and stops paging', async () => {
    const { cli } = start();
    expect(cli.pager()?.prompt).toBe(' --More-- ');
    expect(await run(cli, 'terminal length 0')).toBe('Pagination disabled.\n');
    expect(await run(cli, 'terminal width 32767')).toBe('Width set to 32767 columns.\n');
    expect(cli.pager()).toBeUndefined();
  });

  it('rejects unknown and incomplete commands with the EOS messages', async () => {
    const { cli } = start();
    await run(cli, 'configure');
    expect(await run(cli, 'hostnam')).toBe('% Incomplete command\n');
    expect(await run(cli, 'frobnicate now')).toBe("% Invalid input (at token 0: 'frobnicate')\n");
    expect(await run(cli, 'show running-config | no-more')).toContain(
      '! Command: show running-config',
    );
  });

  it('starts from the lab intended config and shows it back', async () => {
    const config = intended?.intendedConfig ?? '';
    const { cli } = start(config);
    const shown = await run(cli, 'show running-config');
    const expected = config.replace(
      /^(! device: .*\n)/m,
      '$1!\n! boot system flash:/DCS-7050SX3-48YC8.swi\n',
    );
    expect(shown).toBe(`${expected}\n`);
  });

  it('accepts every line of the intended config typed in config mode', async () => {
    const config = intended?.intendedConfig ?? '';
    const { device, cli } = start(config);
    const before = device.runningConfig();
    await run(cli, 'configure');
    for (const line of config.split('\n')) {
      if (line.trim().startsWith('!') || line === 'end') continue;
      expect(await run(cli, line.trim())).toBe('');
    }
    await run(cli, 'end');
    expect(device.runningConfig()).toBe(before);
  });

  it('keeps session edits out of running until commit and shows a unified diff', async () => {
    const { device, cli } = start();
    await run(cli, 'configure session s1', 'interface Loopback0', 'description rid');
    expect(device.runningConfig()).not.toContain('description rid');
    expect(await run(cli, 'show session-config diffs')).toBe(
      [
        '--- system:/running-config',
        '+++ session:/s1-session-config',
        '@@ -13,6 +13,7 @@',
        '    ip address 10.0.0.2/31',
        ' !',
        ' interface Loopback0',
        '+   description rid',
        '    ip address 10.255.0.3/32',
        ' !',
        ' interface Management1',
        '',
      ].join('\n'),
    );
    expect(await run(cli, 'show session-config')).toContain(
      'interface Loopback0\n   description rid',
    );
    await run(cli, 'commit');
    expect(cli.prompt()).toBe('sw1#');
    expect(device.runningConfig()).toContain('   description rid');
  });

  it('rolls a commit timer back when it is not confirmed in time', async () => {
    const { clock, device, cli } = start();
    const before = device.runningConfig();
    await run(cli, 'configure session s2', 'hostname changed', 'commit timer 00:05:00');
    expect(device.hostname).toBe('changed');
    expect(await run(cli, 'configure session s2')).toContain('pendingCommitTimer');
    await run(cli, 'configure session other', 'ntp server 192.0.2.50');
    expect(await run(cli, 'commit')).toContain('% Cannot commit session other');
    await run(cli, 'abort');
    cli.disconnect();
    clock.advance(300_000);
    expect(device.runningConfig()).toBe(before);
  });

  it('keeps a timed commit that configure session NAME commit confirms', async () => {
    const { clock, device, cli } = start();
    await run(cli, 'configure session s3', 'hostname kept', 'commit timer 00:01:00');
    expect(await run(cli, 'configure session s3 commit')).toBe('');
    clock.advance(3_600_000);
    expect(device.hostname).toBe('kept');
  });

  it('rolls back at once on configure session NAME abort during the timer', async () => {
    const { device, cli } = start();
    await run(cli, 'configure session s4', 'hostname gone', 'commit timer 00:10:00');
    await run(cli, 'configure session s4 abort');
    expect(device.hostname).toBe('sw1');
  });

  it('takes a multi-line banner motd up to EOF, shows it in the config and greets with it', async () => {
    const { device, cli } = start();
    expect(cli.greeting()).toBe('');
    await run(cli, 'configure');
    expect(await run(cli, 'banner motd')).toBe(
      "Enter TEXT message.  Type 'EOF' on its own line to end.\n",
    );
    expect(cli.prompt()).toBe('');
    await run(cli, 'Authorised access only', '', '  (indented stays)', 'EOF');
    expect(cli.prompt()).toBe('sw1(config)#');
    const shown = await run(cli, 'show running-config');
    expect(shown).toContain('banner motd\nAuthorised access only\n\n  (indented stays)\nEOF\n!\n');
    expect(device.openSession('admin').greeting()).toBe(
      'Authorised access only\n\n  (indented stays)\n',
    );
    const restarted = new EosDevice({
      hostname: 'sw1',
      clock: new ManualClock(),
      faults: {},
      initialConfig: device.runningConfig(),
    });
    expect(restarted.runningConfig()).toBe(device.runningConfig());
    await run(cli, 'no banner motd', 'end');
    expect(device.runningConfig()).not.toContain('banner');
  });

  it('fails the next commit under failCommit and keeps the session open', async () => {
    const { faults, device, cli } = start();
    Object.assign(faults, { failCommit: true });
    await run(cli, 'configure session s5', 'hostname nope');
    expect(await run(cli, 'commit')).toMatch(/^% Cannot commit session s5/);
    expect(cli.prompt()).toBe('sw1(config-s-s5)#');
    expect(device.hostname).toBe('sw1');
    expect(await run(cli, 'commit')).toBe('');
    expect(device.hostname).toBe('nope');
    expect(await run(cli, 'write memory')).toBe('Copy completed successfully.\n');
  });
});
