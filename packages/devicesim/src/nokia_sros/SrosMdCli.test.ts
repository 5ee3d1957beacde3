import { describe, expect, it } from 'vitest';
import { planInventory } from '../../../../test/lab/seed/planInventory.ts';
import type { DeviceFaults } from '../DeviceFaults.ts';
import { ManualClock } from '../SimClock.ts';
import { SrosDevice } from './SrosDevice.ts';

const initialConfig = [
  '# TiMOS-B-23.10.R1 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2023 Nokia.',
  '',
  'configure {',
  '    router "Base" {',
  '        interface "system" {',
  '            description "Router ID"',
  '        }',
  '    }',
  '    system {',
  '        name "pe1"',
  '    }',
  '}',
].join('\n');

function makeDevice(faults: DeviceFaults = {}, classicCli = false) {
  const clock = new ManualClock();
  const device = new SrosDevice({ hostname: 'pe1', initialConfig, clock, faults, classicCli });
  return { clock, device, cli: device.openSession('admin') };
}

/** What the driver keeps of `admin show configuration`: no volatile lines, no blank runs. */
function stripVolatile(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^# (Generated|Last modified|Finished) /.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

describe('SR OS MD-CLI simulator', () => {
  it('starts from a lab intended config and shows it back inside the volatile lines', () => {
    const lab = planInventory(12).devices.filter((d) => d.networkDriver === 'nokia_sros');
    expect(lab.length).toBeGreaterThan(0);
    for (const planned of lab) {
      const device = new SrosDevice({
        hostname: planned.name,
        initialConfig: planned.intendedConfig,
        clock: new ManualClock(),
        faults: {},
      });
      const shown = device.openSession('admin').execute('admin show configuration | no-more');
      expect(shown.pageable).toBe(false);
      expect(shown.output).toMatch(/^# Generated 1970-01-01T00:00:00\.0\+00:00 by admin from /m);
      expect(shown.output).toMatch(/^# Last modified .* \(MD-CLI\) from /m);
      expect(shown.output).toMatch(/\n\n# Finished 1970-01-01T00:00:00\.0\+00:00$/);
      expect(stripVolatile(shown.output)).toBe(planned.intendedConfig);
      expect(device.runningConfig()).toBe(planned.intendedConfig);
    }
  });

  it('shows the two-line prompt with mode and uncommitted-change marks', () => {
    const { cli } = makeDevice();
    expect(cli.prompt()).toBe('\n[/]\nA:admin@pe1# ');
    expect(cli.execute('edit-config private').output).toBe(
      'INFO: CLI #2070: Entering private configuration mode\n' +
        'INFO: CLI #2061: Uncommitted changes are discarded on configuration mode exit',
    );
    expect(cli.prompt()).toBe('\n(pr)[/]\nA:admin@pe1# ');
    cli.execute('configure router "Base"');
    expect(cli.prompt()).toBe('\n(pr)[/configure router "Base"]\nA:admin@pe1# ');
    cli.execute('interface "system" description "Loopback"');
    expect(cli.prompt()).toBe('\n*(pr)[/configure router "Base"]\nA:admin@pe1# ');
    cli.execute('exit all');
    expect(cli.prompt()).toBe('\n*(pr)[/]\nA:admin@pe1# ');
  });

  it('greets with the committed login-control motd, in MD-CLI and classic alike', () => {
    const { cli, device } = makeDevice();
    expect(cli.greeting()).toBe('');
    cli.execute('edit-config private');
    cli.execute('/configure system login-control motd text "Authorised access only"');
    cli.execute('commit');
    expect(device.openSession('admin').greeting()).toBe('Authorised access only\n');
    const classic = new SrosDevice({
      hostname: 'pe1',
      initialConfig: device.runningConfig(),
      clock: new ManualClock(),
      faults: {},
      classicCli: true,
    });
    expect(classic.openSession('admin').greeting()).toBe('Authorised access only\n');
  });

  it('turns paging off with environment more false', () => {
    const { cli } = makeDevice();
    expect(cli.pager()?.linesPerPage).toBe(24);
    expect(cli.execute('environment more false').output).toBe('');
    expect(cli.execute('environment console width 512').output).toBe('');
    expect(cli.execute('environment command-completion space false').output).toBe('');
    expect(cli.pager()).toBeUndefined();
    expect(cli.execute('admin show configuration').pageable).toBe(true);
  });

  it('names an unknown element and a missing value in MINOR errors', () => {
    const { cli } = makeDevice();
    cli.execute('edit-config private');
    expect(cli.execute('/configure router "Base" bogus 1').output).toBe(
      "MINOR: MGMT_CORE #2201: Unknown element - 'bogus'",
    );
    expect(cli.execute('/configure system name').output).toBe(
      "MINOR: CLI #2001: Missing element value - 'name'",
    );
    expect(cli.execute('frobnicate').output).toBe(
      "MINOR: MGMT_CORE #2201: Unknown element - 'frobnicate'",
    );
  });

  it('compares, validates and commits a private candidate', () => {
    const { cli, device } = makeDevice();
    cli.execute('edit-config private');
    cli.execute('/configure system name "pe1-new"');
    cli.execute('/configure router "Base" interface "lo1" description "test"');
    expect(cli.execute('compare').output).toBe(
      [
        '    configure {',
        '        router "Base" {',
        '+           interface "lo1" {',
        '+               description "test"',
        '+           }',
        '        }',
        '        system {',
        '-           name "pe1"',
        '+           name "pe1-new"',
        '        }',
        '    }',
      ].join('\n'),
    );
    expect(cli.execute('validate').output).toBe('');
    expect(device.runningConfig()).not.toContain('lo1');
    expect(cli.execute('commit').output).toBe('');
    expect(device.runningConfig()).toContain('interface "lo1" {\n            description "test"');
    expect(cli.prompt()).toBe('\n(pr)[/]\nA:admin@pe1-new# ');
    expect(cli.execute('compare').output).toBe('');
  });

  it('deletes leaves and blocks, and discard restores the baseline', () => {
    const { cli } = makeDevice();
    cli.execute('edit-config private');
    cli.execute('configure');
    cli.execute('delete router "Base" interface "system"');
    expect(cli.execute('compare').output).toContain('-       interface "system" {');
    cli.execute('discard');
    expect(cli.execute('compare').output).toBe('');
    expect(cli.execute('delete system name').output).toBe('');
    expect(cli.execute('info').output).not.toContain('name "pe1"');
  });

  it('rolls a commit confirmed back when it is not accepted in time', () => {
    const { cli, device, clock } = makeDevice();
    cli.execute('edit-config private');
    cli.execute('/configure system location "lab"');
    expect(cli.execute('commit confirmed 3').output).toBe('');
    expect(device.runningConfig()).toContain('location "lab"');
    expect(cli.execute('commit').output).toMatch(/^MINOR: MGMT_CORE #2705: /);
    clock.advance(3 * 60_000 - 1);
    expect(device.runningConfig()).toContain('location "lab"');
    clock.advance(1);
    expect(device.runningConfig()).toBe(initialConfig);
    expect(cli.prompt()).toBe('\n!(pr)[/]\nA:admin@pe1# ');
    expect(cli.execute('commit confirmed accept').output).toMatch(/No confirmed commit/);
  });

  it('keeps an accepted commit confirmed and undoes a cancelled one at once', () => {
    const { cli, device, clock } = makeDevice();
    cli.execute('edit-config private');
    cli.execute('/configure system location "one"');
    cli.execute('commit confirmed 3');
    expect(cli.execute('commit confirmed accept').output).toBe('');
    clock.advance(10 * 60_000);
    expect(device.runningConfig()).toContain('location "one"');
    cli.execute('/configure system location "two"');
    cli.execute('commit confirmed 3');
    expect(cli.execute('commit confirmed cancel').output).toBe('');
    expect(device.runningConfig()).toContain('location "one"');
  });

  it('holds the exclusive lock against other sessions until quit-config or disconnect', () => {
    const { cli, device } = makeDevice();
    const other = device.openSession('bob');
    expect(cli.execute('edit-config exclusive').output).toContain(
      'INFO: CLI #2060: Entering exclusive configuration mode',
    );
    expect(other.execute('edit-config exclusive').output).toMatch(
      /^MINOR: MGMT_CORE #2052: Exclusive datastore access unavailable - /,
    );
    other.execute('edit-config private');
    other.execute('/configure system location "x"');
    expect(other.execute('commit').output).toMatch(/^MINOR: MGMT_CORE #2052: /);
    cli.disconnect();
    expect(other.execute('commit').output).toBe('');
    expect(device.runningConfig()).toContain('location "x"');
  });

  it('merges a private commit onto changes another session committed meanwhile', () => {
    const { cli, device } = makeDevice();
    const other = device.openSession('bob');
    cli.execute('edit-config private');
    other.execute('edit-config private');
    other.execute('/configure system location "x"');
    other.execute('commit');
    expect(cli.prompt()).toBe('\n!(pr)[/]\nA:admin@pe1# ');
    cli.execute('/configure system contact "noc"');
    cli.execute('commit');
    expect(device.runningConfig()).toContain('location "x"\n        contact "noc"');
  });

  it('fails the next commit when the fault is set and leaves running alone', () => {
    const faults: DeviceFaults = { failCommit: true };
    const { cli, device } = makeDevice(faults);
    cli.execute('edit-config private');
    cli.execute('/configure system location "x"');
    expect(cli.execute('commit').output).toMatch(/^MINOR: MGMT_CORE #2503: Commit failed/);
    expect(device.runningConfig()).toBe(initialConfig);
    expect(cli.execute('commit').output).toBe('');
  });
});

describe('SR OS classic simulator', () => {
  it('shows the classic prompt, pages until environment no more, and displays the config', () => {
    const { cli } = makeDevice({}, true);
    expect(cli.prompt()).toBe('A:pe1# ');
    expect(cli.pager()?.prompt).toBe('Press any key to continue (Q to quit)');
    expect(cli.execute('environment no more').output).toBe('');
    expect(cli.pager()).toBeUndefined();
    const shown = cli.execute('admin display-config').output.split('\n');
    expect(shown[1]).toBe('# Generated THU JAN 01 00:00:00 1970 UTC');
    expect(shown).toContain('        interface "system"');
    expect(shown.at(-1)).toBe('# Finished THU JAN 01 00:00:00 1970 UTC');
    expect(cli.execute('foo').output).toBe(`${' '.repeat(7)}^\nError: Bad command.`);
  });
});
