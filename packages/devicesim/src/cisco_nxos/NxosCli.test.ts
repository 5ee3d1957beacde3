import { describe, expect, it } from 'vitest';
import { planInventory } from '../../../../test/lab/seed/planInventory.ts';
import type { DeviceCli } from '../DeviceCli.ts';
import { ManualClock } from '../SimClock.ts';
import { NxosDevice } from './NxosDevice.ts';

function start(initialConfig?: string) {
  const faults = {};
  const device = new NxosDevice({
    hostname: 'n1',
    clock: new ManualClock(),
    faults,
    ...(initialConfig === undefined ? {} : { initialConfig }),
  });
  return { faults, device, cli: device.openSession('admin') };
}

async function run(cli: DeviceCli, ...lines: string[]): Promise<string> {
  let output = '';
  for (const line of lines) output += (await cli.execute(line)).output;
  return output;
}

const intended = planInventory(12).devices.find((d) => d.networkDriver === 'cisco_nxos');

describe('NX-OS simulator', () => {
  it('uses NX-OS prompts with their trailing space in every mode', async () => {
    const { cli } = start();
    expect(cli.prompt()).toBe('n1# ');
    await run(cli, 'configure terminal', 'router bgp 65001', 'neighbor 10.0.0.2');
    expect(cli.prompt()).toBe('n1(config-router-neighbor)# ');
    await run(cli, 'address-family ipv4 unicast');
    expect(cli.prompt()).toBe('n1(config-router-neighbor-af)# ');
    await run(cli, 'interface Ethernet1/1');
    expect(cli.prompt()).toBe('n1(config-if)# ');
    await run(cli, 'end');
    expect(cli.prompt()).toBe('n1# ');
  });

  it("rejects unknown commands with a caret and % Invalid command at '^' marker.", async () => {
    const { cli } = start();
    await run(cli, 'configure terminal');
    const prompt = cli.prompt();
    expect(await run(cli, 'feature bgp extra')).toBe(
      `${' '.repeat(prompt.length + 'feature bgp '.length)}^\n% Invalid command at '^' marker.\n`,
    );
    expect(await run(cli, 'interface')).toContain("% Incomplete command at '^' marker.");
  });

  it('shows the NX-OS header and the changed config', async () => {
    const { cli } = start();
    await run(cli, 'configure terminal', 'interface loopback9', 'description test', 'end');
    const shown = await run(cli, 'show running-config');
    expect(shown).toMatch(
      /^!Command: show running-config\n!Running configuration last done at: .+\n!Time: .+\n\nver/,
    );
    expect(shown).toContain('interface loopback9\n  description test\n');
  });

  it('starts from the lab intended config and shows it back', async () => {
    const config = intended?.intendedConfig ?? '';
    const { device } = start(config);
    expect(`!Command: show running-config\n${device.runningConfig()}`).toBe(config);
  });

  it('accepts every line of the intended config typed in config mode', async () => {
    const config = intended?.intendedConfig ?? '';
    const { device, cli } = start(config);
    await run(cli, 'configure terminal');
    for (const line of config.split('\n').slice(1)) {
      if (line.trim() === '') continue;
      expect(await run(cli, line.trim())).toBe('');
    }
    await run(cli, 'end');
    expect(`!Command: show running-config\n${device.runningConfig()}`).toBe(config);
  });

  it('checkpoints, shows the rollback patch and rolls back atomically', async () => {
    const { device, cli } = start();
    const before = device.runningConfig();
    expect(await run(cli, 'checkpoint safe1')).toBe('.......Done\n');
    await run(cli, 'configure terminal', 'interface loopback9', 'description new', 'end');
    await run(cli, 'configure terminal', 'no ntp server 192.0.2.2 use-vrf management', 'end');
    const diff = await run(cli, 'show diff rollback-patch checkpoint safe1 running-config');
    expect(diff).toBe(
      [
        'Collecting Running-Config',
        '#Generating Rollback Patch',
        '!!',
        'no ntp server 192.0.2.2 use-vrf management',
        'interface loopback9',
        '  description new',
        '',
      ].join('\n'),
    );
    const rollback = await run(cli, 'rollback running-config checkpoint safe1 atomic');
    expect(rollback).toContain('Executing Rollback Patch\nRollback completed successfully.\n');
    expect(device.runningConfig()).toBe(before);
    expect(await run(cli, 'show diff rollback-patch checkpoint safe1 running-config')).toContain(
      'Rollback Patch is Empty',
    );
    expect(await run(cli, 'checkpoint safe1')).toContain('already in use');
  });

  it('fails the next rollback under failCommit and leaves running as it was', async () => {
    const { faults, device, cli } = start();
    await run(cli, 'checkpoint c1', 'configure terminal', 'hostname n2', 'end');
    Object.assign(faults, { failCommit: true });
    expect(await run(cli, 'rollback running-config checkpoint c1')).toContain('Rollback failed.');
    expect(device.hostname).toBe('n2');
    expect(await run(cli, 'rollback running-config checkpoint c1')).toContain('completed');
    expect(device.hostname).toBe('n1');
  });

  it('applies a configuration session only on commit', async () => {
    const { device, cli } = start();
    expect(await run(cli, 'configure session s1')).toContain('Config Session started');
    expect(cli.prompt()).toBe('n1(config-s)# ');
    await run(cli, 'interface loopback5');
    expect(cli.prompt()).toBe('n1(config-s-if)# ');
    await run(cli, 'description in session');
    expect(device.runningConfig()).not.toContain('loopback5');
    expect(await run(cli, 'verify')).toBe('Verification Successful\n');
    expect(await run(cli, 'commit')).toBe('Commit Successful\n');
    expect(cli.prompt()).toBe('n1# ');
    expect(device.runningConfig()).toContain('interface loopback5\n  description in session');
    await run(cli, 'configure session s2', 'hostname other', 'abort');
    expect(device.hostname).toBe('n1');
  });

  it('greets with the NX-OS copyright lines, then a configured motd banner', async () => {
    const { device, cli } = start();
    expect(cli.greeting()).toMatch(/^Cisco Nexus Operating System \(NX-OS\) Software\n/);
    expect(cli.greeting()).not.toContain('Authorised');
    await run(cli, 'configure terminal', 'banner motd #Authorised access only#', 'end');
    expect(device.runningConfig()).toContain('banner motd #Authorised access only#');
    expect(device.openSession('admin').greeting()).toMatch(
      /All rights reserved\.\nAuthorised access only\n$/,
    );
  });

  it('saves with copy running-config startup-config', async () => {
    const { device, cli } = start();
    await run(cli, 'configure terminal', 'hostname saved', 'end');
    expect(await run(cli, 'copy running-config startup-config')).toContain('Copy complete.');
    expect(device.startup.render(device.dialect.grammar.format)).toContain('hostname saved');
  });
});
