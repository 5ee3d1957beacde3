import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { faultsFromFlags } from './deviceFaultsSchema.ts';
import { loadDevicesimConfig } from './devicesimConfig.ts';

const bin = fileURLToPath(new URL('../bin/devicesim', import.meta.url));

interface InventoryDevice {
  hostname: string;
  platform: string;
  port: number;
  username: string;
  password: string;
  hostKeyFingerprint: string;
}

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the command and waits until it serves (or exits); collects both streams. */
async function startDevicesim(args: string[]) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (data: Buffer) => {
    output.stdout += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output.stderr += data.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const serving = new Promise<void>((resolve) => {
    const check = () => {
      if (output.stderr.includes('serving simulated devices')) resolve();
    };
    child.stderr?.on('data', check);
  });
  const code = await Promise.race([serving.then(() => undefined), exited]);
  return { child, output, exited, code };
}

function exitCodeOf(args: string[]) {
  return startDevicesim(args).then(async (run) => ({
    code: run.code === undefined ? await run.exited : run.code,
    stderr: run.output.stderr,
  }));
}

function readInventory(file: string): InventoryDevice[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { devices: InventoryDevice[] }).devices;
}

function execOnce(device: InventoryDevice, command: string, password = device.password) {
  return new Promise<string>((resolve, reject) => {
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
    client.connect({ host: '127.0.0.1', port: device.port, username: device.username, password });
  });
}

describe('devicesim command', () => {
  it('serves a config file: own logins, initial config and faults; stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devicesim-'));
    writeFileSync(join(dir, 'edge1.cfg'), 'hostname edge1\ninterface Loopback0\n description x\n');
    const devices = [
      {
        hostname: 'edge1',
        platform: 'cisco_ios',
        credentials: { username: 'netops', password: 'pw-edge1' },
        initialConfigPath: 'edge1.cfg',
      },
      { hostname: 'locked1', platform: 'arista_eos', faults: { rejectLogins: true } },
    ];
    writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ devices }));
    const inventoryFile = join(dir, 'inventory.json');
    writeFileSync(inventoryFile, 'stale, world-readable', { mode: 0o644 });
    const run = await startDevicesim([
      '--config',
      join(dir, 'fleet.json'),
      '--inventory',
      inventoryFile,
    ]);
    expect(run.code).toBeUndefined();

    expect(statSync(inventoryFile).mode & 0o777).toBe(0o600);
    const [edge, locked] = readInventory(inventoryFile);
    expect(edge).toMatchObject({ hostname: 'edge1', username: 'netops', password: 'pw-edge1' });
    expect(edge?.hostKeyFingerprint).toMatch(/^SHA256:/);
    expect(await execOnce(edge as InventoryDevice, 'show running-config')).toContain(
      ' description x',
    );
    await expect(execOnce(locked as InventoryDevice, 'show version')).rejects.toThrow(
      /authentication methods failed/,
    );
    expect(run.output.stdout).toContain(`127.0.0.1:${edge?.port}`);
    expect(run.output.stdout).toContain(`logins in ${inventoryFile} (mode 0600)`);
    for (const text of [run.output.stdout, run.output.stderr]) {
      expect(text).not.toContain('pw-edge1');
      expect(text).not.toContain(locked?.password);
    }

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 30_000);

  it('serves --devices N round-robin with their own ports, logins and keys; stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devicesim-'));
    writeFileSync(join(dir, 'sim-arista-eos-0003.cfg'), 'hostname from-dir\n');
    const run = await startDevicesim([
      '--devices',
      '6',
      '--initial-config-dir',
      dir,
      '--fault',
      'fail-commit',
    ]);
    expect(run.code).toBeUndefined();
    const inventoryFile = /logins in (\S+) \(mode 0600\)/.exec(run.output.stdout)?.[1] ?? '';
    expect(statSync(inventoryFile).mode & 0o777).toBe(0o600);
    const devices = readInventory(inventoryFile);
    expect(devices.map((device) => device.platform)).toEqual([
      'cisco_ios',
      'cisco_nxos',
      'arista_eos',
      'juniper_junos',
      'nokia_sros',
      'cisco_ios',
    ]);
    for (const key of ['hostname', 'port', 'password', 'hostKeyFingerprint'] as const) {
      expect(new Set(devices.map((device) => device[key])).size).toBe(6);
    }
    for (const device of devices) expect(run.output.stdout).toContain(`127.0.0.1:${device.port}`);
    const eos = devices[2] as InventoryDevice;
    expect(await execOnce(eos, 'show running-config')).toContain('hostname from-dir');
    const nxos = devices[1] as InventoryDevice;
    expect(await execOnce(nxos, 'rollback running-config checkpoint none')).toContain(
      'does not exist',
    );
    expect(await execOnce(nxos, 'checkpoint c1')).toBe('.......Done\n');
    expect(await execOnce(nxos, 'rollback running-config checkpoint c1')).toContain(
      'Rollback failed.',
    );

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(existsSync(inventoryFile)).toBe(false);
  }, 30_000);

  it('refuses bad flags with exit code 2 and a message naming the flag', async () => {
    const zero = await exitCodeOf(['--devices', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/^devicesim: --devices: .*1/);
    const fault = await exitCodeOf(['--fault', 'explode']);
    expect(fault.code).toBe(2);
    expect(fault.stderr).toContain('--fault explode: unknown fault (have: slow-output=');
    const clash = await exitCodeOf(['--config', 'x.json', '--devices', '3']);
    expect(clash.stderr).toContain('--config lists the devices itself; leave out --devices');
    const ports = await exitCodeOf(['--devices', '10', '--base-port', '65530']);
    expect(ports.stderr).toContain('--base-port 65530 leaves room for 6 devices, not 10');
  }, 30_000);
});

describe('devicesim config file and fault flags', () => {
  function configFile(json: unknown): string {
    const file = join(mkdtempSync(join(tmpdir(), 'devicesim-')), 'fleet.json');
    writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return file;
  }

  it('names the field of a bad config file', () => {
    const platform = configFile({ devices: [{ hostname: 'x', platform: 'cisco_xr' }] });
    expect(() => loadDevicesimConfig(platform)).toThrow(/devices\.0\.platform/);
    const regex = configFile({
      devices: [{ hostname: 'x', platform: 'cisco_ios', faults: { hangOn: '(' } }],
    });
    expect(() => loadDevicesimConfig(regex)).toThrow(
      /devices\.0\.faults\.hangOn: not a regular expression/,
    );
    const extra = configFile({
      devices: [{ hostname: 'x', platform: 'cisco_ios', faults: { explode: true } }],
    });
    expect(() => loadDevicesimConfig(extra)).toThrow(/devices\.0\.faults/);
    const twice = configFile({
      devices: [
        { hostname: 'x', platform: 'cisco_ios' },
        { hostname: 'x', platform: 'cisco_nxos' },
      ],
    });
    expect(() => loadDevicesimConfig(twice)).toThrow(/duplicate x/);
    const key = configFile({
      devices: [
        {
          hostname: 'x',
          platform: 'cisco_ios',
          credentials: { username: 'a', password: 'b', authorizedKeys: ['ssh-ed25519 nope'] },
        },
      ],
    });
    expect(() => loadDevicesimConfig(key)).toThrow(
      /devices\.0\.credentials\.authorizedKeys\.0: not an OpenSSH public key line/,
    );
    expect(() => loadDevicesimConfig(configFile('{"devices": ['))).toThrow(/not JSON/);
  });

  it('reads every fault from a config file, patterns as regular expressions', () => {
    const faults = {
      slowOutputBytesPerSecond: 2000,
      disconnectOn: '^show run',
      hangOn: '^show version',
      rejectLogins: true,
      changeHostKey: true,
      failCommit: true,
      ansiNoise: true,
      endlessPaging: true,
      flood: { on: '^show tech', bytes: 1000 },
    };
    const file = configFile({ devices: [{ hostname: 'x', platform: 'cisco_ios', faults }] });
    expect(loadDevicesimConfig(file)[0]?.faults).toEqual({
      ...faults,
      disconnectOn: /^show run/,
      hangOn: /^show version/,
      flood: { on: /^show tech/, bytes: 1000 },
    });
  });

  it('reads faults from --fault flags and refuses a missing or extra value', () => {
    expect(
      faultsFromFlags(['slow-output=500', 'hang-on=^show', 'reject-logins', 'change-host-key']),
    ).toEqual({
      slowOutputBytesPerSecond: 500,
      hangOn: /^show/,
      rejectLogins: true,
      changeHostKey: true,
    });
    expect(() => faultsFromFlags(['slow-output'])).toThrow(
      '--fault slow-output: expected --fault slow-output=BYTES_PER_SECOND',
    );
    expect(() => faultsFromFlags(['fail-commit=yes'])).toThrow(/expected --fault fail-commit$/);
    expect(() => faultsFromFlags(['slow-output=fast'])).toThrow(/^--fault slow-output: /);
  });
});
