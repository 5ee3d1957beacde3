import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plumbline/log';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoError } from '../demo/DemoError.ts';
import { prepareDemoDir } from '../demo/prepareDemoDir.ts';
import { type RunningDemo, startDemo } from '../demo/startDemo.ts';
import { runningLab } from '../lab/lab.ts';
import { planInventory } from '../lab/seed/index.ts';

/**
 * The demo's start function in-process (not its command loop), against the running lab: the
 * integration through the agent is green, the mirror holds the lab's 12 devices, the simulated
 * devices boot from Nautobot's intended configs, secrets sit in 0600 files, and stop closes
 * what the start opened while the lab it found running stays up.
 */
const scratch = mkdtempSync(join(tmpdir(), 'demo-smoke-'));
const logger = createLogger({ name: 'demo-smoke', level: process.env.DEMO_TEST_LOG ?? 'silent' });
const planned = planInventory(12).devices;
let demo: RunningDemo;
let apiToken: string;

beforeAll(async () => {
  demo = await startDemo({
    dataDir: join(scratch, 'demo'),
    cloudPort: 0,
    agentHealthPort: 0,
    logger,
    syncTimeoutMs: 90_000,
  });
  apiToken = readFileSync(demo.paths.apiTokenFile, 'utf8').trim();
});

afterAll(async () => {
  await demo?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function api(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${demo.cloudUrl}/api/v1/tenants/demo${path}`, {
    headers: { authorization: `Bearer ${apiToken}` },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function execOverSsh(port: number, username: string, password: string, command: string) {
  return new Promise<string>((resolve, reject) => {
    const client = new Client();
    client.on('error', reject);
    client.on('ready', () => {
      client.exec(command, (error, stream) => {
        if (error) return reject(error);
        let output = '';
        stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        stream.on('close', () => {
          client.end();
          resolve(output);
        });
      });
    });
    client.connect({ host: '127.0.0.1', port, username, password, readyTimeout: 10_000 });
  });
}

describe('the demo', () => {
  it('connects the lab Nautobot through the enrolled agent and probes it green', async () => {
    expect(demo.integration.status).toMatchObject({ state: 'green', deviceCount: 12 });

    const { json } = await api(`/integrations/${demo.integration.id}`);
    expect(json.integration).toMatchObject({
      baseUrl: demo.lab.nautobot.url,
      reachableViaAgentId: demo.agent.id,
      status: { state: 'green' },
    });
    const agents = await api('/agents');
    expect(agents.json.agents).toEqual([
      expect.objectContaining({ id: demo.agent.id, name: 'demo-edge', state: 'online' }),
    ]);
    const ready = await fetch(`${demo.agent.healthUrl}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('finishes a first sync whose mirror holds the lab seed devices', async () => {
    expect(demo.firstSync).toMatchObject({ state: 'succeeded', error: null });
    expect(demo.firstSync.counts).toMatchObject({ devices: 12, interfaces: 48, sites: 5 });

    const { json } = await api(`/integrations/${demo.integration.id}/devices?limit=1000`);
    const hostnames = (json.devices as { hostname: string }[]).map((d) => d.hostname).sort();
    expect(hostnames).toEqual(planned.map((device) => device.name).sort());
  });

  it('keeps the admin password, the API token and the fleet logins in 0600 files', () => {
    for (const file of [
      demo.paths.adminPasswordFile,
      demo.paths.apiTokenFile,
      demo.paths.fleetInventoryFile,
    ]) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(demo.paths.adminPasswordFile, 'utf8').trim().length).toBeGreaterThan(20);
  });

  it('boots every simulated device from the intended config Nautobot holds for it', async () => {
    const simulated = planned.filter((device) => device.networkDriver !== 'frr');
    expect(demo.fleet.fleet.devices.map((d) => d.hostname)).toEqual(simulated.map((d) => d.name));
    expect(demo.fleet.notSimulated.map((d) => d.networkDriver)).toEqual(['frr', 'frr']);

    const inventory = JSON.parse(readFileSync(demo.paths.fleetInventoryFile, 'utf8'));
    const eos = inventory.devices.find((d: { platform: string }) => d.platform === 'arista_eos');
    const intended = planned.find((device) => device.name === eos.hostname)?.intendedConfig;
    const shown = await execOverSsh(eos.port, eos.username, eos.password, 'show running-config');
    // EOS prints `!` comment lines of its own (the boot image); the statements are the same.
    const statements = (text: string) =>
      text
        .replace(/\r/g, '')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('!'));
    expect(statements(shown)).toEqual(statements(intended ?? ''));
    expect(statements(shown).length).toBeGreaterThan(20);
  });
});

describe('the demo directory', () => {
  it('refuses a directory with files the demo did not make, and leaves them alone', () => {
    const foreign = join(scratch, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');

    expect(() => prepareDemoDir(foreign)).toThrow(DemoError);
    expect(() => prepareDemoDir(foreign)).toThrow(/holds files the demo did not make/);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('empties its own directory at the next start', () => {
    const own = join(scratch, 'own');
    const first = prepareDemoDir(own);
    writeFileSync(first.apiTokenFile, 'old token');

    const second = prepareDemoDir(own);
    expect(() => statSync(second.apiTokenFile)).toThrow(/ENOENT/);
    expect(statSync(second.root).mode & 0o777).toBe(0o700);
  });
});

describe('stopping the demo', () => {
  it('closes the cloud, the agent and the simulators, and leaves a lab it found running up', async () => {
    const { cloudUrl } = demo;
    const healthUrl = demo.agent.healthUrl;
    const [device] = demo.fleet.fleet.devices;
    const labWasRunning = !demo.startedLab;

    await demo.stop();

    await expect(fetch(`${cloudUrl}/healthz`)).rejects.toThrow();
    await expect(fetch(`${healthUrl}/healthz`)).rejects.toThrow();
    await expect(execOverSsh(device?.port ?? 0, 'admin', 'x', 'show version')).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect((await runningLab()) !== undefined).toBe(labWasRunning);
  });
});
