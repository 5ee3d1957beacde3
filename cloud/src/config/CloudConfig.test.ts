import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCloudConfig } from './CloudConfig.ts';

function configFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'plumbline-config-')), 'cloud.json');
  writeFileSync(file, content);
  return file;
}

describe('loadCloudConfig', () => {
  it('has defaults that serve on loopback from ./.plumbline', () => {
    expect(loadCloudConfig({})).toEqual({
      dataDir: './.plumbline',
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      logLevel: 'info',
      maxBodyBytes: 1_048_576,
      sessionTtlMs: 12 * 3_600_000,
      shutdownGraceMs: 10_000,
      secureCookies: false,
      sealKeyFile: '.plumbline/seal.key',
      tunnel: { pingIntervalMs: 20_000, deadPeerMs: 45_000, handshakeTimeoutMs: 10_000 },
    });
  });

  it('reads a JSON file and lets the environment win over it', () => {
    const file = configFile('{"PLUMBLINE_PORT": 9000, "PLUMBLINE_DATA_DIR": "/srv/plumbline"}');
    const config = loadCloudConfig({ PLUMBLINE_CONFIG: file, PLUMBLINE_PORT: '9100' });
    expect(config).toMatchObject({ port: 9100, dataDir: '/srv/plumbline' });
  });

  it('marks cookies Secure when the public URL is https', () => {
    expect(
      loadCloudConfig({ PLUMBLINE_PUBLIC_URL: 'https://plumbline.example' }).secureCookies,
    ).toBe(true);
  });

  it('names the setting, its value and where it came from when it is not usable', () => {
    expect(() => loadCloudConfig({ PLUMBLINE_PORT: 'eighty' })).toThrow(
      new ConfigError(
        'PLUMBLINE_PORT="eighty" (from the environment) is not usable: expected a number',
      ),
    );
    expect(() => loadCloudConfig({ PLUMBLINE_SHUTDOWN_GRACE_MS: '-1' })).toThrow(
      /^PLUMBLINE_SHUTDOWN_GRACE_MS="-1" \(from the environment\) is not usable: Too small/,
    );
    const file = configFile('{"PLUMBLINE_LOG_LEVEL": "loud"}');
    expect(() => loadCloudConfig({ PLUMBLINE_CONFIG: file })).toThrow(
      /^PLUMBLINE_LOG_LEVEL="loud" \(from the config file\) is not usable: /,
    );
  });

  it('refuses a config file that is missing, not JSON, or has unknown settings', () => {
    expect(() => loadCloudConfig({ PLUMBLINE_CONFIG: '/nonexistent/cloud.json' })).toThrow(
      /^PLUMBLINE_CONFIG: cannot read \/nonexistent\/cloud.json/,
    );
    expect(() => loadCloudConfig({ PLUMBLINE_CONFIG: configFile('{port: 1}') })).toThrow(
      /is not JSON/,
    );
    expect(() => loadCloudConfig({ PLUMBLINE_CONFIG: configFile('{"PORT": 1}') })).toThrow(
      /has unknown settings PORT; known: PLUMBLINE_DATA_DIR/,
    );
  });
});
