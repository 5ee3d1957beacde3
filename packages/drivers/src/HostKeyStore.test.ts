import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileHostKeyStore, MemoryHostKeyStore } from './HostKeyStore.ts';

const keyA = `SHA256:${'A'.repeat(43)}`;
const keyB = `SHA256:${'B'.repeat(43)}`;

describe('FileHostKeyStore', () => {
  it('keeps pins across instances in a 0600 file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hostkeys-')), 'known.json');
    await new FileHostKeyStore(path).set('10.0.0.1:22', keyA);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await new FileHostKeyStore(path).get('10.0.0.1:22')).toBe(keyA);
  });

  it('loses no pin when many are written at once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hostkeys-')), 'known.json');
    const store = new FileHostKeyStore(path);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.set(`127.0.0.1:${2000 + i}`, i % 2 ? keyA : keyB)),
    );
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { hosts: Record<string, unknown> };
    expect(Object.keys(saved.hosts)).toHaveLength(50);
    await store.delete('127.0.0.1:2000');
    expect(await new FileHostKeyStore(path).get('127.0.0.1:2000')).toBeUndefined();
  });

  it('refuses a damaged file instead of starting over', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hostkeys-')), 'known.json');
    writeFileSync(path, '{"version":1,"hosts":{"a:22":{"fingerprint":"md5:xx"}}}');
    await expect(new FileHostKeyStore(path).get('a:22')).rejects.toThrow(/is not valid/);
  });

  it('refuses to store something that is not a SHA256 fingerprint', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hostkeys-')), 'known.json');
    expect(() => new FileHostKeyStore(path).set('a:22', 'not-a-key')).toThrow();
  });
});

describe('MemoryHostKeyStore', () => {
  it('returns what was set and forgets what was deleted', async () => {
    const store = new MemoryHostKeyStore();
    await store.set('h:1', keyA);
    expect(await store.get('h:1')).toBe(keyA);
    await store.delete('h:1');
    expect(await store.get('h:1')).toBeUndefined();
  });
});
