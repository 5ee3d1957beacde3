import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);

/**
 * Keeps `pnpm bench:configs` from rotting: a tiny run must finish, fetch every config both ways
 * and print its table. It checks what is printed, never how fast: speed is for people to read.
 */
describe('bench:configs on a tiny fleet', () => {
  it('fetches every config through the driver and through bare exec, and prints the ratio', async () => {
    const { stdout } = await execFileAsync(
      'pnpm',
      ['--silent', 'bench:configs', '--devices', '10', '--rounds', '1', '--concurrency', '5'],
      { cwd: new URL('../..', import.meta.url).pathname, timeout: 120_000 },
    );

    expect(stdout).toMatch(/^round 1 {2}driver 10 ok, 0 failed, /m);
    expect(stdout).toMatch(/^round 1 {2}exec {3}10 ok, 0 failed, /m);
    expect(stdout).toMatch(/^ratio driver\/exec .*: wall \d+\.\d\dx, p50 \d+\.\d\dx/m);
    for (const platform of [
      'cisco_ios',
      'cisco_nxos',
      'arista_eos',
      'juniper_junos',
      'nokia_sros',
    ]) {
      expect(stdout).toMatch(new RegExp(`^ {2}${platform} +\\d`, 'm'));
    }
  });
});
