import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const cloudDir = fileURLToPath(new URL('../..', import.meta.url));

describe('migrations', () => {
  it('match the schema: generating again from schema.ts adds nothing', {
    timeout: 60_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'plumbline-migrations-'));
    try {
      cpSync(join(cloudDir, 'drizzle'), out, { recursive: true });
      const before = readdirSync(out).sort();
      // drizzle-kit wants the folder relative to where it runs, and exits 0 even when it fails.
      const { stdout, stderr } = await promisify(execFile)(
        'pnpm',
        [
          'exec',
          'drizzle-kit',
          'generate',
          '--dialect',
          'sqlite',
          '--schema',
          './src/store/schema.ts',
          '--out',
          relative(cloudDir, out),
        ],
        { cwd: cloudDir },
      );
      expect(stderr).toBe('');
      expect(stdout).toContain('No schema changes');
      expect(readdirSync(out).sort()).toEqual(before);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
