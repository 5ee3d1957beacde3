import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SealError, Sealer } from './Sealer.ts';

describe('Sealer', () => {
  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealer = Sealer.ephemeral();
    const sealed = sealer.seal('0123456789abcdef0123456789abcdef01234567', 'integration:a:token');
    expect(sealed).not.toContain('0123456789abcdef');
    expect(sealer.open(sealed, 'integration:a:token')).toBe(
      '0123456789abcdef0123456789abcdef01234567',
    );
  });

  it('refuses a value sealed for another context', () => {
    const sealer = Sealer.ephemeral();
    const sealed = sealer.seal('secret', 'integration:a:token');
    expect(() => sealer.open(sealed, 'integration:b:token')).toThrow(SealError);
  });

  it('refuses an altered value', () => {
    const sealer = Sealer.ephemeral();
    const sealed = sealer.seal('secret', 'ctx');
    // A character in the middle of the ciphertext: every one of its bits is used.
    const at = sealed.lastIndexOf('.') + 4;
    const altered = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
    expect(() => sealer.open(altered, 'ctx')).toThrow(/altered/);
  });

  it('names both keys when a value was sealed under another key', () => {
    const sealed = Sealer.ephemeral().seal('secret', 'ctx');
    expect(() => Sealer.ephemeral().open(sealed, 'ctx')).toThrow(/sealed under key \w{8}, but/);
  });

  it('makes its key file with 0600 permissions and reads the same key back', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sealer-')), 'keys', 'seal.key');
    const sealed = Sealer.fromKeyFile(path).seal('secret', 'ctx');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Sealer.fromKeyFile(path).open(sealed, 'ctx')).toBe('secret');
  });

  it('refuses a key file that does not hold a key', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sealer-')), 'seal.key');
    writeFileSync(path, 'not a key\n');
    expect(() => Sealer.fromKeyFile(path)).toThrow(/must hold a 32-byte key/);
    expect(readFileSync(path, 'utf8')).toBe('not a key\n');
  });
});
