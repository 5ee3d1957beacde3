import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { loadDevicesimConfig } from './devicesimConfig.ts';

const bin = fileURLToPath(new URL('../bin/devicesim', import.meta.url));

function execOnce(port: number, password: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', reject);
    client.on('ready', () =>
      client.exec(command, (error, channel) => {
        if (error) return reject(error);
        let text = '';
        channel.on('data', (data: Buffer) => {
          text += data.toString();
        });
        channel.on('close', () => {
          client.end();
          resolve(text);
        });
      }),
    );
    client.connect({ host: '127.0.0.1', port, username: 'admin', password });
  });
}

describe('devicesim command', () => {
  it('serves the devices of a config file, writes a 0600 inventory and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devicesim-'));
    writeFileSync(
      join(dir, 'edge1.cfg'),
      'hostname edge1\ninterface Loopback0\n description from file\n',
    );
    writeFileSync(
      join(dir, 'fleet.json'),
      JSON.stringify({
        devices: [
          {
            hostname: 'edge1',
            platform: 'cisco_ios',
            credentials: { username: 'admin', password: 'pw-edge1' },
            initialConfigPath: 'edge1.cfg',
          },
        ],
      }),
    );
    const inventoryFile = join(dir, 'inventory.json');
    const child = spawn(bin, ['--config', join(dir, 'fleet.json'), '--inventory', inventoryFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    while (!stderr.includes('serving simulated devices')) {
      if (child.exitCode !== null) throw new Error(`devicesim exited: ${stderr}`);
      await new Promise((resolve) => child.stderr.once('data', resolve));
    }

    const inventory = JSON.parse(readFileSync(inventoryFile, 'utf8')) as {
      devices: { hostname: string; port: number; password: string; hostKeyFingerprint: string }[];
    };
    expect(statSync(inventoryFile).mode & 0o777).toBe(0o600);
    expect(inventory.devices).toHaveLength(1);
    const [edge] = inventory.devices;
    expect(edge?.hostname).toBe('edge1');
    expect(edge?.hostKeyFingerprint).toMatch(/^SHA256:/);
    const config = await execOnce(edge?.port ?? 0, 'pw-edge1', 'show running-config');
    expect(config).toContain('description from file');
    expect(stderr).not.toContain('pw-edge1');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('rejects a config file with an unknown platform, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'devicesim-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ devices: [{ hostname: 'x', platform: 'cisco_xr' }] }));
    expect(() => loadDevicesimConfig(file)).toThrow(/devices\.0\.platform/);
  });
});
