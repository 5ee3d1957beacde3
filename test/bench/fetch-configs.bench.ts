/**
 * Fetches the running config of many simulated devices twice: through the drivers
 * (`connectDevice` + `getConfig`: login, shell, prompt, paging off, command, cleaning) and
 * through a bare ssh2 `exec` of the same command (login, one channel, raw text), the floor.
 * Prints devices per second, p50 and p99 per device, peak RSS and the ratio. Asserts nothing
 * about time.
 *
 *   pnpm bench:configs [--devices 500] [--concurrency 50] [--platforms cisco_ios,...]
 *
 * The simulators run in a child process (the `devicesim` command), so the figures for memory
 * are the client's own; both share the machine's cores.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { simPlatforms } from '../../packages/devicesim/src/index.ts';
import {
  connectDevice,
  driverDefinitions,
  MemoryHostKeyStore,
} from '../../packages/drivers/src/index.ts';

const inventorySchema = z.object({
  devices: z.array(
    z.object({
      hostname: z.string(),
      platform: z.string(),
      host: z.literal('127.0.0.1'),
      port: z.number().int(),
      username: z.string(),
      password: z.string(),
    }),
  ),
});
type Device = z.infer<typeof inventorySchema>['devices'][number];

/** The command each platform's driver sends for the running config, for the exec floor. */
const configCommand: Record<string, string> = {
  cisco_ios: 'show running-config',
  cisco_nxos: 'show running-config',
  arista_eos: 'show running-config',
  juniper_junos: 'show configuration | display set',
  nokia_sros: 'admin show configuration',
};

interface PhaseResult {
  name: string;
  wallMs: number;
  perDeviceMs: number[];
  failures: string[];
  peakRssBytes: number;
  bytes: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      devices: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '50' },
      platforms: { type: 'string' },
    },
  });
  const count = z.coerce.number().int().min(1).max(5000).parse(values.devices);
  const concurrency = z.coerce.number().int().min(1).max(1000).parse(values.concurrency);
  const platforms = (values.platforms ?? defaultPlatforms().join(',')).split(',');
  say(`devices ${count}, concurrency ${concurrency}, platforms ${platforms.join(',')}`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-configs-'));
  const inventoryFile = join(dir, 'inventory.json');
  const startedAt = performance.now();
  const fleet = await startFleet(count, platforms, inventoryFile);
  try {
    const devices = inventorySchema.parse(JSON.parse(readFileSync(inventoryFile, 'utf8'))).devices;
    say(`fleet of ${devices.length} up in ${(performance.now() - startedAt).toFixed(0)} ms`);

    const hostKeyStore = new MemoryHostKeyStore();
    const warmUp = devices.slice(0, Math.min(20, devices.length));
    await runPhase('warm-up', warmUp, concurrency, (device) => viaDriver(device, hostKeyStore));
    await runPhase('warm-up', warmUp, concurrency, viaExec);

    const driver = await runPhase('driver', devices, concurrency, (device) =>
      viaDriver(device, hostKeyStore),
    );
    const floor = await runPhase('exec', devices, concurrency, viaExec);
    report([driver, floor]);
    say(
      `ratio driver/exec: wall ${(driver.wallMs / floor.wallMs).toFixed(2)}x, ` +
        `p50 ${(percentile(driver.perDeviceMs, 50) / percentile(floor.perDeviceMs, 50)).toFixed(2)}x, ` +
        `p99 ${(percentile(driver.perDeviceMs, 99) / percentile(floor.perDeviceMs, 99)).toFixed(2)}x`,
    );
    say(`process peak RSS (maxRSS, whole run): ${mib(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await stopFleet(fleet);
    rmSync(dir, { recursive: true, force: true });
  }
}

function defaultPlatforms(): string[] {
  const both = Object.keys(simPlatforms).filter(
    (platform) => platform in driverDefinitions && platform in configCommand,
  );
  return both.includes('cisco_ios') ? ['cisco_ios'] : both.slice(0, 1);
}

async function viaDriver(device: Device, hostKeyStore: MemoryHostKeyStore): Promise<number> {
  const driver = await connectDevice({
    platform: device.platform,
    host: device.host,
    port: device.port,
    username: device.username,
    password: device.password,
    hostKeyStore,
    connectTimeoutMs: 60_000,
    commandTimeoutMs: 60_000,
  });
  try {
    return (await driver.getConfig()).length;
  } finally {
    await driver.session.close();
  }
}

function viaExec(device: Device): Promise<number> {
  const command = configCommand[device.platform] ?? 'show running-config';
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', reject);
    client.on('ready', () => {
      client.exec(command, (error, channel) => {
        if (error) return reject(error);
        let bytes = 0;
        channel.on('data', (data: Buffer) => {
          bytes += data.length;
        });
        channel.on('close', () => {
          client.end();
          resolve(bytes);
        });
      });
    });
    client.connect({
      host: device.host,
      port: device.port,
      username: device.username,
      password: device.password,
      readyTimeout: 60_000,
    });
  });
}

async function runPhase(
  name: string,
  devices: readonly Device[],
  concurrency: number,
  fetch: (device: Device) => Promise<number>,
): Promise<PhaseResult> {
  const perDeviceMs: number[] = [];
  const failures: string[] = [];
  let bytes = 0;
  let next = 0;
  let peakRssBytes = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  async function worker(): Promise<void> {
    for (let index = next++; index < devices.length; index = next++) {
      const device = devices[index];
      if (device === undefined) return;
      const begun = performance.now();
      try {
        const size = await fetch(device);
        if (size === 0) failures.push(`${device.hostname}: empty config`);
        bytes += size;
      } catch (error) {
        failures.push(`${device.hostname}: ${error instanceof Error ? error.message : error}`);
      }
      perDeviceMs.push(performance.now() - begun);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, worker));
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
  return { name, wallMs, perDeviceMs, failures, peakRssBytes, bytes };
}

function report(phases: PhaseResult[]): void {
  for (const phase of phases) {
    const count = phase.perDeviceMs.length;
    say(
      `${phase.name.padEnd(6)} ${count} devices in ${phase.wallMs.toFixed(0)} ms: ` +
        `${((count / phase.wallMs) * 1000).toFixed(1)} devices/s, ` +
        `p50 ${percentile(phase.perDeviceMs, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(phase.perDeviceMs, 99).toFixed(1)} ms, ` +
        `peak RSS ${mib(phase.peakRssBytes)}, ${Math.round(phase.bytes / Math.max(1, count))} bytes of ` +
        'config per device, ' +
        `${phase.failures.length} failures`,
    );
    for (const failure of phase.failures.slice(0, 5)) say(`  failed: ${failure}`);
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function startFleet(count: number, platforms: string[], inventoryFile: string) {
  const bin = new URL('../../packages/devicesim/bin/devicesim', import.meta.url).pathname;
  const child = spawn(
    bin,
    ['--devices', String(count), '--platforms', platforms.join(','), '--inventory', inventoryFile],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  return new Promise<ChildProcess>((resolve, reject) => {
    let stderr = '';
    const poll = setInterval(() => {
      try {
        inventorySchema.parse(JSON.parse(readFileSync(inventoryFile, 'utf8')));
        clearInterval(poll);
        resolve(child);
      } catch {
        // not written yet
      }
    }, 100);
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`devicesim exited with ${code}: ${stderr.slice(-500)}`));
    });
  });
}

function stopFleet(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:configs failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
