import { describe, expect, it } from 'vitest';
import { planInventory } from '../../../../test/lab/seed/planInventory.ts';
import type { DeviceCli } from '../DeviceCli.ts';
import { ManualClock } from '../SimClock.ts';
import { IosDevice } from './IosDevice.ts';

function start(initialConfig?: string) {
  const clock = new ManualClock();
  const faults = {};
  const device = new IosDevice({
    hostname: 'r1',
    clock,
    faults,
    ...(initialConfig === undefined ? {} : { initialConfig }),
  });
  const cli = device.openSession('admin');
  return { clock, faults, device, cli };
}

/** Runs lines as a person would type them; returns prompt + line + output, like a terminal. */
async function type(cli: DeviceCli, ...lines: string[]): Promise<string> {
  let transcript = '';
  for (const line of lines) {
    transcript += `${cli.prompt()}${line}\n`;
    transcript += (await cli.execute(line)).output;
  }
  return transcript;
}

async function run(cli: DeviceCli, line: string): Promise<string> {
  return (await cli.execute(line)).output;
}

const intended = planInventory(12).devices.find((d) => d.networkDriver === 'cisco_ios');

describe('IOS simulator', () => {
  it('moves between privileged, config and submode prompts', async () => {
    const { cli } = start();
    expect(cli.prompt()).toBe('r1#');
    expect(await run(cli, 'configure terminal')).toBe(
      'Enter configuration commands, one per line.  End with CNTL/Z.\n',
    );
    expect(cli.prompt()).toBe('r1(config)#');
    await run(cli, 'interface Loopback1');
    expect(cli.prompt()).toBe('r1(config-if)#');
    await run(cli, 'router bgp 65000');
    expect(cli.prompt()).toBe('r1(config-router)#');
    await run(cli, 'address-family ipv4');
    expect(cli.prompt()).toBe('r1(config-router-af)#');
    await run(cli, 'exit');
    expect(cli.prompt()).toBe('r1(config-router)#');
    await run(cli, 'end');
    expect(cli.prompt()).toBe('r1#');
    await run(cli, 'disable');
    expect(cli.prompt()).toBe('r1>');
  });

  it('marks the bad word with a caret and the IOS message', async () => {
    const { cli } = start();
    await run(cli, 'configure terminal');
    expect(await type(cli, 'hostnme r2')).toBe(
      "r1(config)#hostnme r2\n           ^\n% Invalid input detected at '^' marker.\n\n",
    );
    expect(await type(cli, 'interface Loopback1', 'ip address 10.0.0.1 255.0.0.300')).toContain(
      `${' '.repeat('r1(config-if)#ip address 10.0.0.1 '.length)}^\n% Invalid input`,
    );
    expect(await run(cli, 'ip address')).toBe('% Incomplete command.\n\n');
    expect(await run(cli, 'do co')).toBe('% Ambiguous command:  "co"\n');
  });

  it('shows config changes in show running-config, and no removes them', async () => {
    const { cli } = start();
    await type(cli, 'conf t', 'hostname core9', 'int Loopback7', 'desc test loop', 'end');
    expect(cli.prompt()).toBe('core9#');
    const shown = await run(cli, 'show running-config');
    expect(shown).toMatch(/^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n/);
    expect(shown).toContain('! Last configuration change at ');
    expect(shown).toContain('\ninterface Loopback7\n description test loop\n!\n');
    await type(cli, 'conf t', 'no interface Loopback7', 'interface Loopback0', 'shutdown', 'end');
    const after = await run(cli, 'show running-config');
    expect(after).not.toContain('Loopback7');
    expect(after).toContain(
      'interface Loopback0\n ip address 10.255.0.1 255.255.255.255\n shutdown\n',
    );
    await type(cli, 'conf t', 'interface Loopback0', 'no shutdown', 'end');
    expect(await run(cli, 'show running-config')).not.toContain(' shutdown');
  });

  it('pages show running-config until terminal length 0', async () => {
    const { cli } = start();
    expect((await cli.execute('show running-config')).pageable).toBe(true);
    expect(cli.pager()).toEqual({ linesPerPage: 24, prompt: ' --More-- ' });
    await run(cli, 'terminal length 0');
    expect(cli.pager()).toBeUndefined();
  });

  it('starts from the lab intended config and shows it back', async () => {
    expect(intended).toBeDefined();
    const config = intended?.intendedConfig ?? '';
    const { device, cli } = start(config);
    expect(device.runningConfig()).toBe(config);
    expect(cli.prompt()).toBe(`${intended?.name}#`);
  });

  it('accepts every line of the intended config typed in config mode', async () => {
    const config = intended?.intendedConfig ?? '';
    const { device, cli } = start(config);
    await run(cli, 'configure terminal');
    for (const line of config.split('\n')) {
      if (line.trim() === '!' || line === 'end') continue;
      expect(await type(cli, line.trim())).not.toContain('%');
    }
    await run(cli, 'end');
    expect(device.runningConfig()).toBe(config);
  });

  it('reverts to the archived config when the revert timer expires unconfirmed', async () => {
    const { clock, device, cli } = start();
    const before = device.runningConfig();
    const output = await run(cli, 'configure terminal revert timer 5');
    expect(output).toContain('Backing up current running config to flash:archive-1');
    await type(cli, 'ntp server 192.0.2.99', 'end');
    expect(device.runningConfig()).toContain('ntp server 192.0.2.99');
    expect(await run(cli, 'show archive config rollback timer')).toContain('Timer value: 5 min');
    cli.disconnect();
    clock.advance(5 * 60_000 - 1);
    expect(device.runningConfig()).toContain('ntp server 192.0.2.99');
    clock.advance(1);
    expect(device.runningConfig()).toBe(before);
    expect(await run(cli, 'show archive config rollback timer')).toBe(
      'No Rollback Confirmed Change pending\n',
    );
  });

  it('keeps the change after configure confirm, and reverts at once with revert now', async () => {
    const { clock, device, cli } = start();
    await type(cli, 'configure terminal revert timer 1', 'ntp server 192.0.2.98', 'end');
    expect(await run(cli, 'configure confirm')).toBe('');
    clock.advance(10 * 60_000);
    expect(device.runningConfig()).toContain('ntp server 192.0.2.98');
    const before = device.runningConfig();
    await type(cli, 'configure terminal revert timer 1', 'ntp server 192.0.2.97', 'end');
    expect(await run(cli, 'configure revert now')).toBe('Rollback Done\n');
    expect(device.runningConfig()).toBe(before);
  });

  it('refuses a revert timer without archive, and fails it once under failCommit', async () => {
    const config = intended?.intendedConfig ?? '';
    expect(await run(start(config).cli, 'configure terminal revert timer 5')).toBe(
      '%Please turn config archive on\n',
    );
    const { faults, cli } = start();
    Object.assign(faults, { failCommit: true });
    expect(await run(cli, 'configure terminal revert timer 5')).toMatch(/^%Error opening flash/);
    expect(cli.prompt()).toBe('r1#');
    expect(await run(cli, 'configure terminal revert timer 5')).toContain('Backing up');
  });

  it('greets with the motd banner once one is configured', async () => {
    const { device, cli } = start();
    expect(cli.greeting()).toBe('\n');
    await type(cli, 'conf t', 'banner motd ^CAuthorised access only^C', 'end');
    expect(device.openSession('admin').greeting()).toBe('\nAuthorised access only\n');
  });

  it('saves running to startup with write memory', async () => {
    const { device, cli } = start();
    await type(cli, 'conf t', 'snmp-server location lab', 'end');
    expect(await run(cli, 'write memory')).toBe('Building configuration...\n[OK]\n');
    expect(await run(cli, 'show startup-config')).toContain('snmp-server location lab');
    expect(device.startup.render(device.dialect.grammar.format)).toContain(
      'snmp-server location lab',
    );
  });
});
