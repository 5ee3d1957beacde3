import { describe, expect, it } from 'vitest';
import { planInventory } from '../../../../test/lab/seed/planInventory.ts';
import type { DeviceFaults } from '../DeviceFaults.ts';
import { ManualClock } from '../SimClock.ts';
import { JunosDevice } from './JunosDevice.ts';

const initialConfig = [
  'set version 23.4R1.9',
  'set system host-name edge1',
  'set system services ssh',
  'set interfaces xe-0/1/0 description "Uplink to core"',
  'set interfaces xe-0/1/0 unit 0 family inet address 10.1.2.8/31',
  'set interfaces xe-0/1/1 description Spare',
  'set interfaces xe-0/1/1 disable',
].join('\n');

function makeDevice(faults: DeviceFaults = {}) {
  const clock = new ManualClock();
  const device = new JunosDevice({ hostname: 'edge1', initialConfig, clock, faults });
  return { clock, device, cli: device.openSession('netops') };
}

describe('Junos simulator', () => {
  it('starts from a lab intended config and gives it back with display set', () => {
    const lab = planInventory(12).devices.filter((d) => d.networkDriver === 'juniper_junos');
    expect(lab.length).toBeGreaterThan(0);
    for (const planned of lab) {
      const device = new JunosDevice({
        hostname: planned.name,
        initialConfig: planned.intendedConfig,
        clock: new ManualClock(),
        faults: {},
      });
      const cli = device.openSession('netops');
      const shown = cli.execute('show configuration | display set | no-more');
      expect(shown).toEqual({ output: planned.intendedConfig, pageable: false });
      expect(device.runningConfig()).toBe(planned.intendedConfig);
    }
  });

  it('prompts in operational and configuration mode with the exclusive messages', () => {
    const { cli } = makeDevice();
    expect(cli.prompt()).toBe('netops@edge1> ');
    expect(cli.execute('configure exclusive').output).toBe(
      'warning: uncommitted changes will be discarded on exit\nEntering configuration mode',
    );
    expect(cli.prompt()).toBe('\n[edit]\nnetops@edge1# ');
    cli.execute('edit interfaces xe-0/1/0');
    expect(cli.prompt()).toBe('\n[edit interfaces xe-0/1/0]\nnetops@edge1# ');
    cli.execute('exit');
    expect(cli.prompt()).toBe('\n[edit]\nnetops@edge1# ');
  });

  it('answers the session preparation commands and turns paging off', () => {
    const { cli } = makeDevice();
    expect(cli.pager()).toEqual({ linesPerPage: 24, prompt: '---(more)---' });
    expect(cli.execute('set cli screen-length 0').output).toBe('Screen length set to 0');
    expect(cli.execute('set cli screen-width 511').output).toBe('Screen width set to 511');
    expect(cli.execute('set cli complete-on-space off').output).toBe('Disabling complete-on-space');
    expect(cli.pager()).toBeUndefined();
  });

  it('marks show output pageable unless no-more is piped', () => {
    const { cli } = makeDevice();
    expect(cli.execute('show configuration | display set').pageable).toBe(true);
    expect(cli.execute('show configuration | display set | no-more').pageable).toBe(false);
  });

  it('greets with the committed system login message, then the version line', () => {
    const { cli, device } = makeDevice();
    expect(cli.greeting()).toBe('--- JUNOS 23.4R1.9 built 2023-12-08 03:39:53 UTC\n');
    cli.execute('configure');
    cli.execute('set system login message "Authorised access only\\nSecond line"');
    expect(device.openSession('x').greeting()).not.toContain('Authorised');
    cli.execute('commit');
    expect(device.openSession('x').greeting()).toBe(
      'Authorised access only\nSecond line\n\n--- JUNOS 23.4R1.9 built 2023-12-08 03:39:53 UTC\n',
    );
  });

  it('prints a caret and unknown command for a bad operational command', () => {
    const { cli } = makeDevice();
    expect(cli.execute('shwo version').output).toBe(`${' '.repeat(14)}^\nunknown command.`);
    expect(cli.execute('show bogus').output).toBe(
      `${' '.repeat(19)}^\nsyntax error, expecting <command>.`,
    );
    expect(cli.execute('show').output).toBe(
      `${' '.repeat(19)}^\nsyntax error, expecting <command>.`,
    );
  });

  it('refuses a bad set statement with syntax error and leaves the candidate alone', () => {
    const { cli } = makeDevice();
    cli.execute('configure exclusive');
    const result = cli.execute('set foo bar');
    expect(result.output).toMatch(/\^\nsyntax error\.$/);
    expect(cli.execute('show | compare').output).toBe('');
  });

  it('shows the candidate diff, checks and commits it', () => {
    const { cli, device } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set system host-name edge1-new');
    cli.execute('delete interfaces xe-0/1/1 disable');
    expect(cli.execute('show | compare').output).toBe(
      [
        '[edit system]',
        '-   host-name edge1;',
        '+   host-name edge1-new;',
        '[edit interfaces xe-0/1/1]',
        '-   disable;',
      ].join('\n'),
    );
    expect(cli.execute('commit check').output).toBe('configuration check succeeds');
    expect(device.runningConfig()).toContain('host-name edge1\n');
    expect(cli.execute('commit').output).toBe('commit complete');
    expect(device.runningConfig()).toContain('set system host-name edge1-new');
    expect(device.runningConfig()).not.toContain('xe-0/1/1 disable');
    expect(cli.prompt()).toBe('\n[edit]\nnetops@edge1-new# ');
  });

  it('shows a new subtree in braces under the deepest level that already exists', () => {
    const { cli } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set interfaces xe-0/1/2 description new');
    cli.execute('set interfaces xe-0/1/2 unit 0 family inet address 10.9.9.1/31');
    cli.execute('set interfaces xe-0/1/0 unit 0 family inet6 address 2001:db8::1/127');
    expect(cli.execute('show | compare').output).toBe(
      [
        '[edit interfaces xe-0/1/0 unit 0]',
        '+   family inet6 {',
        '+       address 2001:db8::1/127;',
        '+   }',
        '[edit interfaces]',
        '+   xe-0/1/2 {',
        '+       description new;',
        '+       unit 0 {',
        '+           family inet {',
        '+               address 10.9.9.1/31;',
        '+           }',
        '+       }',
        '+   }',
      ].join('\n'),
    );
  });

  it('loads set lines from the terminal until Ctrl-D and counts errors', () => {
    const { cli } = makeDevice();
    cli.execute('configure exclusive');
    expect(cli.execute('load set terminal').output).toBe('[Type ^D at a new line to end input]');
    expect(cli.prompt()).toBe('');
    cli.execute('set snmp location ams1');
    cli.execute('set bogus thing');
    const done = cli.endOfInput();
    expect(done.output).toBe('terminal:2:(5) syntax error: bogus\nload complete (1 errors)');
    expect(cli.execute('show | compare').output).toBe(
      '[edit]\n+   snmp {\n+       location ams1;\n+   }',
    );
    cli.execute('load merge terminal');
    cli.execute('system { location { building b1; } }');
    expect(cli.endOfInput().output).toBe('load complete');
    expect(cli.execute('show | display set').output).toContain('set system location building b1');
  });

  it('holds the exclusive lock against another session until exit', () => {
    const { cli, device } = makeDevice();
    const other = device.openSession('bob');
    cli.execute('configure exclusive');
    const refused = other.execute('configure exclusive').output;
    expect(refused).toMatch(/^error: configuration database locked by:\n {2}netops terminal p1/);
    expect(other.execute('configure private').output).toMatch(/^error: configuration database/);
    expect(other.prompt()).toBe('bob@edge1> ');
    expect(other.execute('configure').output).toMatch(
      /^Entering configuration mode\nUsers currently editing the configuration:\n {2}netops /,
    );
    expect(other.execute('set snmp location x').output).toMatch(
      /^error: configuration database locked/,
    );
    expect(other.execute('commit').output).toMatch(/^error: configuration database locked by:/);
    expect(other.execute('exit').output).toBe('Exiting configuration mode');
    cli.execute('exit');
    expect(other.execute('configure exclusive').output).toContain('Entering configuration mode');
  });

  it('asks before leaving with uncommitted changes and discards them in exclusive mode', () => {
    const { cli, device } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set snmp location ams1');
    expect(cli.execute('exit').output).toBe('The configuration has been changed but not committed');
    expect(cli.prompt()).toBe('Exit with uncommitted changes? [yes,no] (yes) ');
    expect(cli.execute('yes').output).toBe('Exiting configuration mode');
    expect(device.sharedCandidate.equals(device.running)).toBe(true);
    expect(device.runningConfig()).not.toContain('location');
  });

  it('discards the exclusive candidate and releases the lock when the session drops', () => {
    const { cli, device } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set snmp location ams1');
    cli.disconnect();
    expect(device.exclusiveOwner).toBeUndefined();
    expect(device.sharedCandidate.equals(device.running)).toBe(true);
  });

  it('rolls a commit confirmed back when it is not confirmed in time', () => {
    const { cli, device, clock } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set snmp location ams1');
    expect(cli.execute('commit confirmed 2').output).toBe(
      'commit confirmed will be automatically rolled back in 2 minutes unless confirmed\n' +
        'commit complete',
    );
    expect(cli.prompt()).toContain('# commit confirmed will be rolled back in 2 minutes\n');
    expect(device.runningConfig()).toContain('set snmp location ams1');
    clock.advance(119_000);
    expect(device.runningConfig()).toContain('set snmp location ams1');
    clock.advance(1_000);
    expect(device.runningConfig()).not.toContain('snmp');
    expect(cli.execute('show | compare').output).toBe('');
    expect(cli.execute('run show system commit').output).toMatch(/^0 .*automatic rollback/);
  });

  it('keeps a commit confirmed that a plain commit confirms', () => {
    const { cli, device, clock } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set snmp location ams1');
    cli.execute('commit confirmed 5');
    expect(cli.execute('commit').output).toBe('commit complete');
    clock.advance(10 * 60_000);
    expect(device.runningConfig()).toContain('set snmp location ams1');
    expect(cli.prompt()).toBe('\n[edit]\nnetops@edge1# ');
  });

  it('loads an earlier commit with rollback N', () => {
    const { cli, device } = makeDevice();
    cli.execute('configure exclusive');
    cli.execute('set snmp location one');
    cli.execute('commit');
    cli.execute('set snmp location two');
    cli.execute('commit');
    expect(cli.execute('rollback 2').output).toBe('load complete');
    expect(cli.execute('show | compare').output).toBe(
      '[edit]\n-   snmp {\n-       location two;\n-   }',
    );
    cli.execute('commit');
    expect(device.runningConfig()).toBe(initialConfig);
    expect(cli.execute('rollback 60').output).toBe('error: invalid rollback index');
  });

  it('fails the next commit with check-out failed when the fault is set', () => {
    const faults: DeviceFaults = { failCommit: true };
    const { cli, device } = makeDevice(faults);
    cli.execute('configure exclusive');
    cli.execute('set snmp location ams1');
    expect(cli.execute('commit').output).toBe('error: configuration check-out failed');
    expect(device.runningConfig()).toBe(initialConfig);
    expect(cli.execute('commit').output).toBe('commit complete');
  });

  it('refuses commit confirmed in private mode and private mode over a modified database', () => {
    const { cli, device } = makeDevice();
    const other = device.openSession('bob');
    other.execute('configure');
    other.execute('set snmp location x');
    expect(cli.execute('configure private').output).toBe(
      'error: shared configuration database modified',
    );
    other.execute('rollback 0');
    cli.execute('configure private');
    cli.execute('set snmp location ams1');
    expect(cli.execute('commit confirmed 5').output).toMatch(/^error: /);
    expect(cli.execute('commit').output).toBe('commit complete');
  });

  it('renders the curly-brace configuration with a last-commit header', () => {
    const { cli } = makeDevice();
    const output = cli.execute('show configuration | no-more').output;
    expect(output.split('\n').slice(0, 8)).toEqual([
      '## Last commit: 1970-01-01 00:00:00 UTC by root',
      'version 23.4R1.9;',
      'system {',
      '    host-name edge1;',
      '    services {',
      '        ssh;',
      '    }',
      '}',
    ]);
  });

  it('lays out the lab config in braces that load override reads back unchanged', () => {
    const planned = planInventory(12).devices.find((d) => d.networkDriver === 'juniper_junos');
    const device = new JunosDevice({
      hostname: 'edge1',
      initialConfig: planned?.intendedConfig ?? '',
      clock: new ManualClock(),
      faults: {},
    });
    const cli = device.openSession('netops');
    const braces = cli.execute('show configuration | no-more').output;
    expect(braces).toContain('        server 10.1.0.2 routing-instance mgmt_junos;\n');
    expect(braces).toContain('            family inet6 {\n                address ');
    expect(braces).toContain('            from interface lo0.0;\n            then accept;\n');
    cli.execute('configure');
    cli.execute('load override terminal');
    for (const line of braces.split('\n')) cli.execute(line);
    expect(cli.endOfInput().output).toBe('load complete');
    expect(cli.execute('show | compare').output).toBe('');
  });
});
