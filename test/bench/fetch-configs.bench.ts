/**
 * Fetches the running config of many simulated devices two ways, in the same run, and prints
 * how they compare. Asserts nothing about time; the figures are for people.
 *
 *   pnpm bench:configs [--devices 500] [--concurrency 50] [--rounds 3]
 *                      [--platforms all|cisco_ios,juniper_junos,...] [--configs intended|default]
 *
 * - driver: `connectDevice` + `getConfig` + close (login, shell, prompt, paging off, command,
 *   volatile lines removed), what the agent does for each device;
 * - exec (the floor): a bare ssh2 `exec` of the same command (login, one channel, raw text,
 *   close), what no driver can beat.
 *
 * The fleet runs in a child process (the `devicesim` command, started from a config file), so
 * the two sides do not share a heap; they do share the machine's cores. `--configs intended`
 * (the default) starts each device from the lab's intended config for its platform (1-2.5 KB,
 * several pages); `default` uses the simulators' small built-in configs. Platforms default to
 * every simulated one with a driver, round-robin.
 *
 * Each round runs both methods over every device, driver first in odd rounds and exec first
 * in even ones, after a warm-up of 100 devices each. Printed per round and as the median over
 * rounds: devices per second (wall clock), p50 and p99 of the time per device (successful
 * fetches only), peak RSS of this process (the client; process-wide, so a phase can inherit
 * heap from the one before) and of the devicesim child (sampled from /proc; n/a elsewhere),
 * and failures (counted, the first few shown; any failure makes the exit code 1). Then the
 * ratio driver/exec for wall time, p50 and p99 (2.00x: the driver takes twice as long), and
 * the p50 per platform. The child is stopped on exit, on failure and on SIGINT or SIGTERM.
 *
 * Both sides share two cores here: the figures move by tens of percent between runs when
 * anything else is busy, so compare ratios from one run, not absolute figures across runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { simPlatforms } from '@plumbline/devicesim';
import { connectDevice, driverDefinitions, MemoryHostKeyStore } from '@plumbline/drivers';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { planInventory } from '../lab/seed/planInventory.ts';
import { median, mib, percentile, sayToStdout as say } from './benchStats.ts';

/** The command each platform's driver sends for the running config, for the exec floor. */
const configCommand: Record<string, string> = {
  cisco_ios: 'show running-config',
  cisco_nxos: 'show running-config',
  arista_eos: 'show running-config',
  juniper_junos: 'show configuration | display set',
  nokia_sros: 'admin show configuration',
};

const benchPlatforms = Object.keys(simPlatforms).filter(
  (platform) => platform in driverDefinitions && platform in configCommand,
);

const flagsSchema = z.object({
  devices: z.coerce.number().int().min(1).max(5000),
  concurrency: z.coerce.number().int().min(1).max(1000),
  rounds: z.coerce.number().int().min(1).max(20),
  platforms: z
    .string()
    .transform((text) => (text === 'all' ? benchPlatforms : text.split(',')))
    .pipe(z.array(z.enum(benchPlatforms as [string, ...string[]])).min(1)),
  configs: z.enum(['intended', 'default']),
});
type Flags = z.infer<typeof flagsSchema>;

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

const startTimeoutMs = 120_000;
const warmUpDevices = 100;

interface Fetched {
  device: Device;
  ms: number;
  bytes: number;
}

interface PhaseResult {
  method: 'driver' | 'exec';
  wallMs: number;
  fetched: Fetched[];
  failures: string[];
  clientPeakRssBytes: number;
  fleetPeakRssBytes: number | undefined;
}

async function main(): Promise<void> {
  const flags = parseFlags();
  const dir = mkdtempSync(join(tmpdir(), 'bench-configs-'));
  const fleetFile = writeFleetConfig(dir, flags);
  const inventoryFile = join(dir, 'inventory.json');
  let child: ChildProcess | undefined;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    say(`\n${signal}: stopping the fleet`);
    void stopFleet(child).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const startedAt = performance.now();
    child = spawnFleet(fleetFile, inventoryFile);
    const devices = await waitForInventory(child, inventoryFile);
    const upMs = performance.now() - startedAt;
    say(`devicesim child pid ${child.pid}: ${devices.length} devices up in ${upMs.toFixed(0)} ms`);
    const failed = await runRounds(devices, flags, child.pid);
    if (failed) process.exitCode = 1;
  } finally {
    await stopFleet(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseFlags(): Flags {
  const { values } = parseArgs({
    options: {
      devices: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      platforms: { type: 'string', default: 'all' },
      configs: { type: 'string', default: 'intended' },
    },
  });
  const flags = flagsSchema.safeParse(values);
  if (!flags.success) {
    const issue = flags.error.issues[0];
    throw new Error(`--${String(issue?.path[0])}: ${issue?.message}`);
  }
  return flags.data;
}

/** A devicesim config file: device i has platform i mod P and, if asked, the lab's config. */
function writeFleetConfig(dir: string, flags: Flags): string {
  const perPlatform = Math.ceil(flags.devices / flags.platforms.length);
  const planned = flags.configs === 'intended' ? planInventory(perPlatform * 6).devices : [];
  const devices = Array.from({ length: flags.devices }, (_, index) => {
    const platform = flags.platforms[index % flags.platforms.length] ?? 'cisco_ios';
    const ordinal = Math.floor(index / flags.platforms.length);
    const lab = planned.filter((device) => device.networkDriver === platform)[ordinal];
    if (flags.configs === 'default' || lab === undefined) {
      return { hostname: `bench-${platform.replace('_', '-')}-${index + 1}`, platform };
    }
    writeFileSync(join(dir, `${lab.name}.cfg`), lab.intendedConfig);
    return { hostname: lab.name, platform, initialConfigPath: `${lab.name}.cfg` };
  });
  const file = join(dir, 'fleet.json');
  writeFileSync(file, JSON.stringify({ devices }));
  const counts = flags.platforms.map(
    (p) => `${p} ${devices.filter((device) => device.platform === p).length}`,
  );
  say(
    `bench:configs: ${flags.devices} devices (${counts.join(', ')}), ` +
      `concurrency ${flags.concurrency}, ${flags.rounds} rounds, configs: ${flags.configs}`,
  );
  return file;
}

async function runRounds(devices: Device[], flags: Flags, fleetPid: number | undefined) {
  const hostKeyStore = new MemoryHostKeyStore();
  const methods = {
    driver: (device: Device) => viaDriver(device, hostKeyStore),
    exec: viaExec,
  };
  const warmUp = devices.slice(0, warmUpDevices);
  await runPhase('driver', warmUp, flags.concurrency, methods.driver, fleetPid);
  await runPhase('exec', warmUp, flags.concurrency, methods.exec, fleetPid);

  const rounds: { driver: PhaseResult; exec: PhaseResult }[] = [];
  for (let round = 1; round <= flags.rounds; round++) {
    const order = round % 2 === 1 ? (['driver', 'exec'] as const) : (['exec', 'driver'] as const);
    const results: Partial<Record<'driver' | 'exec', PhaseResult>> = {};
    for (const method of order) {
      const result = await runPhase(method, devices, flags.concurrency, methods[method], fleetPid);
      say(`round ${round}  ${phaseLine(result)}`);
      for (const failure of result.failures.slice(0, 5)) say(`    failed: ${failure}`);
      results[method] = result;
    }
    if (results.driver !== undefined && results.exec !== undefined) {
      rounds.push({ driver: results.driver, exec: results.exec });
    }
  }
  printSummary(rounds, flags.platforms);
  return rounds.some((round) => round.driver.failures.length + round.exec.failures.length > 0);
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
        let status: number | undefined;
        channel.on('data', (data: Buffer) => {
          bytes += data.length;
        });
        channel.on('exit', (code: number | null) => {
          status = code ?? undefined;
        });
        channel.on('close', () => {
          // Wait for the connection to close, as the driver's session.close() does.
          client.once('close', () => {
            // A channel cut short (the device dropped the connection) has no exit status.
            if (status === 0) resolve(bytes);
            else
              reject(new Error(`exec of "${command}" ended with exit status ${status ?? 'none'}`));
          });
          client.end();
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
  method: 'driver' | 'exec',
  devices: readonly Device[],
  concurrency: number,
  fetch: (device: Device) => Promise<number>,
  fleetPid: number | undefined,
): Promise<PhaseResult> {
  const fetched: Fetched[] = [];
  const failures: string[] = [];
  let next = 0;
  let clientPeakRssBytes = process.memoryUsage.rss();
  let fleetPeakRssBytes = rssOf(fleetPid);
  const sampler = setInterval(() => {
    clientPeakRssBytes = Math.max(clientPeakRssBytes, process.memoryUsage.rss());
    const fleetRss = rssOf(fleetPid);
    if (fleetRss !== undefined) fleetPeakRssBytes = Math.max(fleetPeakRssBytes ?? 0, fleetRss);
  }, 20);
  const started = performance.now();
  async function worker(): Promise<void> {
    for (let index = next++; index < devices.length; index = next++) {
      const device = devices[index];
      if (device === undefined) return;
      const begun = performance.now();
      try {
        const bytes = await fetch(device);
        if (bytes === 0) failures.push(`${device.hostname}: empty config`);
        else fetched.push({ device, ms: performance.now() - begun, bytes });
      } catch (error) {
        failures.push(`${device.hostname}: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, worker));
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  clientPeakRssBytes = Math.max(clientPeakRssBytes, process.memoryUsage.rss());
  return { method, wallMs, fetched, failures, clientPeakRssBytes, fleetPeakRssBytes };
}

function phaseLine(phase: PhaseResult): string {
  const durations = phase.fetched.map((f) => f.ms);
  const bytes = phase.fetched.reduce((sum, f) => sum + f.bytes, 0);
  const counts = `${phase.fetched.length} ok, ${phase.failures.length} failed`;
  const head = `${phase.method.padEnd(6)} ${counts}`;
  return [
    head,
    `${devicesPerSecond(phase).toFixed(1)} devices/s`,
    `p50 ${ms(percentile(durations, 50))} ms`,
    `p99 ${ms(percentile(durations, 99))} ms`,
    `client peak RSS ${mib(phase.clientPeakRssBytes)}`,
    `devicesim peak RSS ${mib(phase.fleetPeakRssBytes)}`,
    `${Math.round(bytes / Math.max(1, phase.fetched.length))} B/device`,
  ].join(', ');
}

function printSummary(rounds: { driver: PhaseResult; exec: PhaseResult }[], platforms: string[]) {
  const of = (method: 'driver' | 'exec', figure: (phase: PhaseResult) => number) =>
    median(rounds.map((round) => figure(round[method])));
  const p = (phase: PhaseResult, at: number, platform?: string) => {
    const fetched = phase.fetched.filter(
      (f) => platform === undefined || f.device.platform === platform,
    );
    return percentile(
      fetched.map((f) => f.ms),
      at,
    );
  };
  const widths = [8, 10, 10, 10, 18, 20, 10];
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(8) : cell.padStart(widths[i] ?? 10))).join('');

  say(`\nmedian of ${rounds.length} rounds`);
  say(
    row(['', 'devices/s', 'p50 ms', 'p99 ms', 'client peak RSS', 'devicesim peak RSS', 'failures']),
  );
  for (const method of ['driver', 'exec'] as const) {
    const failures = rounds.reduce((sum, round) => sum + round[method].failures.length, 0);
    say(
      row([
        method,
        of(method, devicesPerSecond).toFixed(1),
        ms(of(method, (phase) => p(phase, 50))),
        ms(of(method, (phase) => p(phase, 99))),
        mib(of(method, (phase) => phase.clientPeakRssBytes)),
        mib(of(method, (phase) => phase.fleetPeakRssBytes ?? Number.NaN)),
        String(failures),
      ]),
    );
  }
  if (rounds.some((r) => r.driver.failures.length + r.exec.failures.length > 0)) {
    say('some fetches failed: times cover successful fetches only');
  }
  const ratio = (figure: (phase: PhaseResult) => number) =>
    times(median(rounds.map((round) => figure(round.driver) / figure(round.exec))));
  say(
    `ratio driver/exec (time, median of rounds): wall ${ratio((phase) => phase.wallMs)}, ` +
      `p50 ${ratio((phase) => p(phase, 50))}, p99 ${ratio((phase) => p(phase, 99))}`,
  );

  if (platforms.length < 2) return;
  say('p50 per platform (ms, median of rounds): driver / exec / ratio');
  for (const platform of platforms) {
    const driver = of('driver', (phase) => p(phase, 50, platform));
    const exec = of('exec', (phase) => p(phase, 50, platform));
    say(
      `  ${platform.padEnd(14)}${ms(driver).padStart(8)} /${ms(exec).padStart(8)} / ` +
        times(driver / exec),
    );
  }
}

function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(1);
}

function times(ratio: number): string {
  return Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}x`;
}

function devicesPerSecond(phase: PhaseResult): number {
  return (phase.fetched.length / phase.wallMs) * 1000;
}

/** Resident memory of a process from /proc (Linux); undefined when it cannot be read. */
function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

function spawnFleet(fleetFile: string, inventoryFile: string): ChildProcess {
  const bin = new URL('../../packages/devicesim/bin/devicesim', import.meta.url).pathname;
  return spawn(bin, ['--config', fleetFile, '--inventory', inventoryFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
}

/** The inventory once devicesim has written it (it does so after every device listens). */
function waitForInventory(child: ChildProcess, inventoryFile: string): Promise<Device[]> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const finish = (error: Error | undefined, devices?: Device[]) => {
      clearInterval(poll);
      clearTimeout(deadline);
      child.off('exit', onExit);
      if (error !== undefined) reject(error);
      else resolve(devices ?? []);
    };
    const poll = setInterval(() => {
      let text: string;
      try {
        text = readFileSync(inventoryFile, 'utf8');
      } catch {
        return; // not written yet
      }
      finish(undefined, inventorySchema.parse(JSON.parse(text)).devices);
    }, 100);
    const deadline = setTimeout(() => {
      finish(new Error(`devicesim did not start within ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    const onExit = (code: number | null) =>
      finish(new Error(`devicesim exited with ${code}: ${stderr.slice(-500)}`));
    child.once('exit', onExit);
  });
}

function stopFleet(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:configs failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
