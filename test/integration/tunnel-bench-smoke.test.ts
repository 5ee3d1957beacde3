import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);

/**
 * Keeps `pnpm bench:tunnel` from rotting: a tiny run of every part must finish and print its
 * tables. It checks what is printed, never how fast: speed is for people to read.
 */
describe('bench:tunnel on a tiny run', () => {
  it('measures jobs against a ws echo, fetch against direct, and a small fleet', async () => {
    const { stdout } = await execFileAsync(
      'pnpm',
      [
        '--silent',
        'bench:tunnel',
        ...['--jobs', '20', '--rounds', '1', '--agents', '20'],
        ...['--fetch-sizes-mib', '1', '--fetch-rounds', '1'],
      ],
      { cwd: new URL('../..', import.meta.url).pathname, timeout: 120_000 },
    );

    expect(stdout).toMatch(/^round 1 {2}tunnel 20 round trips, p50 \d+\.\d+ ms, p99 /m);
    expect(stdout).toMatch(/^round 1 {2}echo {3}20 round trips, p50 \d+\.\d+ ms, p99 /m);
    expect(stdout).toMatch(/^ratio tunnel\/echo +\d+\.\d\dx +\d+\.\d\dx$/m);
    expect(stdout).toMatch(/^1 MiB +1 +\d+\.\d +\d+\.\d +\d+\.\d +\d+\.\d +\d+\.\d\dx$/m);
    expect(stdout).toMatch(/^hub: +20 connected in /m);
    expect(stdout).toMatch(/^cloud hub, authenticated +-?\d+\.\d KiB/m);
    expect(stdout).toMatch(/^ratio hub\/bare /m);
  }, 150_000);
});
