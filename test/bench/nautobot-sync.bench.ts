/**
 * A full sync of a Nautobot inventory against the floor under it, in the same run, and how they
 * compare. Asserts nothing about time; the figures are for people.
 *
 *   pnpm bench:sync [--rounds 3] [--url http://127.0.0.1:8481 --token <40 hex>]
 *
 * - plain (the floor): one request at a time with global fetch, every endpoint the sync reads
 *   (`wholeResources` and `changedResources` of cloud/src/sot/fetchInventory.ts, at depth 0 as
 *   the client asks), the first page with `limit=0` (the server's maximum page size), then
 *   offset after offset at that size; each answer JSON-parsed, its rows counted, nothing kept.
 * - sync: a real cloud (`startCloud`: file-backed store in a fresh temp dir, HTTP API) with one
 *   tenant and an integration for the Nautobot; `POST .../sync {mode: full}` through the HTTP
 *   API, timed from that request until the run's state in the store is `succeeded`, so it
 *   includes Nautobot's counts, every listing, mapping and writing the mirror in one
 *   transaction. Each round syncs into an empty mirror (the first sync of an integration).
 *
 * Each phase runs in its own child process (this file with `--phase`), so neither inherits the
 * other's heap: peak RSS is the child's high-water mark (`resourceUsage().maxRSS`, the whole
 * child including starting the cloud), beside its RSS just before the timed part. Rounds run
 * plain, sync, plain, sync, ... so drift in the machine's load touches both; printed per round
 * and as the median over rounds, then the median of the per-round ratios sync/plain. The
 * profile shows where the sync's time goes: per table the plain download's time and the sync's
 * listing time (the sync lists three tables at once, each in up to four parallel pages, so its
 * times overlap), then the sync split into reading Nautobot (start to the last listing) and
 * mapping plus writing the mirror (last listing to `succeeded`).
 *
 * By default it uses the benchmark-size Nautobot (test/bench/nautobot-benchLab.ts, 2,000
 * devices on 127.0.0.1:8481): the running one, or a fresh copy of its seeded template started
 * here (and stopped again at the end). When no template is seeded yet it falls back to the
 * lab's 12-device Nautobot on 8480 and says so: seeding takes about 17 minutes, so it is left
 * to `pnpm bench:nautobot-lab start`.
 *
 * Beside each phase, the CPU time Nautobot's uWSGI processes spent meanwhile (from /proc, when
 * they run on this machine): a sync whose Nautobot keeps more cores busy than the plain
 * download's is bound by the server, not by the client or the mirror's writes.
 *
 * Nautobot (uWSGI, 3 processes x 2 threads), PostgreSQL and both sides share this machine's
 * cores, and anyone else using the same Nautobot is measured too: absolute figures move by tens
 * of percent between runs when anything else is busy, so compare the ratios from one run.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { changedResources, wholeResources } from '../../cloud/src/sot/fetchInventory.ts';
import { resources } from '../../packages/nautobot/src/resources.ts';
import { databaseExists } from '../lab/nautobot/postgres.ts';
import { nautobotCacheKey } from '../lab/paths.ts';
import { readLabState } from '../lab/state.ts';
import { describeMachine, median, mib, sayToStdout } from './benchStats.ts';
import {
  defaultBenchDevices,
  runningBenchNautobot,
  seededTemplateName,
  startBenchNautobot,
  stopBenchNautobot,
} from './nautobot-benchLab.ts';

/** Every endpoint a full sync reads, in the order the sync starts them. */
export const syncedResources = [...wholeResources, ...changedResources];

/** The API version the client asks for; the plain download asks for the same. */
const acceptHeader = 'application/json; version=3.0';
/** A phase that takes longer than this is stopped and reported as failed. */
const phaseTimeoutMs = 30 * 60_000;
/** How often the sync child looks at the run's state in the store. */
const runPollMs = 10;

const tokenSchema = z.string().regex(/^[\x21-\x7e]+$/, 'expected the API token, without spaces');

const resourceFigures = z.object({
  objects: z.number().int().nonnegative(),
  /** When its listing began, from the start of the phase, and how long it took. */
  startMs: z.number(),
  ms: z.number().nonnegative(),
});

const phaseResultSchema = z.object({
  phase: z.enum(['plain', 'sync']),
  wallMs: z.number().nonnegative(),
  objects: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  perResource: z.record(z.string(), resourceFigures),
  /** plain: rows per page the server gave for `limit=0`, null when every table fit one page. */
  pageSize: z.number().int().positive().nullable(),
  /** sync: from the POST to the end of the last listing, and from there to `succeeded`. */
  readMs: z.number().nonnegative().nullable(),
  writeMs: z.number().nonnegative().nullable(),
  /** sync: most requests to Nautobot in flight at once. */
  maxInFlight: z.number().int().nonnegative(),
  /** sync: rows in the mirror afterwards, per table, as the run recorded them. */
  mirror: z.record(z.string(), z.number()).nullable(),
  rssBeforeBytes: z.number().nonnegative(),
  peakRssBytes: z.number().nonnegative(),
});
/** What a child sends: the parent alone reads Nautobot's CPU time. */
const childResultSchema = phaseResultSchema.extend({ nautobotCpuMs: z.null() });
type ChildResult = z.infer<typeof childResultSchema>;

/** A phase's figures, plus the CPU time Nautobot's uWSGI processes spent meanwhile. */
export type PhaseResult = z.infer<typeof phaseResultSchema> & { nautobotCpuMs: number | null };

const childMessageSchema = z.union([
  z.object({ ok: z.literal(true), result: childResultSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export interface SyncBenchmarkOptions {
  url: string;
  token: string;
  rounds: number;
  /** Where the lines go; standard output by default. */
  say?: (line: string) => void;
}

export interface SyncBenchmarkRound {
  plain: PhaseResult;
  sync: PhaseResult;
}

/**
 * Runs `rounds` rounds of plain download then sync against one Nautobot, printing a line per
 * phase, the medians, the ratio and the profile; returns every phase's figures.
 */
export async function runSyncBenchmark(
  options: SyncBenchmarkOptions,
): Promise<SyncBenchmarkRound[]> {
  const say = options.say ?? sayToStdout;
  const nautobotVersion = await readNautobotVersion(options.url, options.token);
  say(`Nautobot ${nautobotVersion} at ${options.url}; ${describeMachine()}`);
  await warmUp(options.url, options.token);

  const rounds: SyncBenchmarkRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const plain = await measurePhase('plain', options.url, options.token);
    say(`round ${round}  ${phaseLine(plain)}`);
    const sync = await measurePhase('sync', options.url, options.token);
    say(`round ${round}  ${phaseLine(sync)}`);
    rounds.push({ plain, sync });
  }
  printSummary(rounds, say);
  printProfile(rounds, say);
  return rounds;
}

// ---- the phases, each run in a child process ---------------------------------------------

const pageSchema = z.object({
  count: z.number().int().nonnegative(),
  results: z.array(z.unknown()),
});

/** The floor: every endpoint, one page at a time, parsed and counted. */
async function downloadPlain(url: string, token: string): Promise<ChildResult> {
  const perResource: PhaseResult['perResource'] = {};
  let requests = 0;
  let pageSize: number | null = null;
  const rssBeforeBytes = process.memoryUsage.rss();
  const started = performance.now();

  for (const resource of syncedResources) {
    const path = resources[resource].path;
    const begun = performance.now();
    let objects = 0;
    let limit = 0;
    for (;;) {
      const page = await getPage(url, token, path, limit, objects);
      requests++;
      objects += page.results.length;
      if (objects >= page.count || page.results.length === 0) break;
      if (limit === 0) {
        limit = page.results.length;
        pageSize = Math.max(pageSize ?? 0, limit);
      }
    }
    perResource[resource] = { objects, startMs: begun - started, ms: performance.now() - begun };
  }

  const wallMs = performance.now() - started;
  return {
    phase: 'plain',
    wallMs,
    objects: sum(Object.values(perResource).map((figures) => figures.objects)),
    requests,
    perResource,
    pageSize,
    readMs: null,
    writeMs: null,
    maxInFlight: 1,
    mirror: null,
    nautobotCpuMs: null,
    rssBeforeBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

async function getPage(url: string, token: string, path: string, limit: number, offset: number) {
  const query = new URLSearchParams({ limit: String(limit), offset: String(offset), depth: '0' });
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}${path}?${query}`, {
      headers: { Authorization: `Token ${token}`, Accept: acceptHeader },
    });
    text = await response.text();
  } catch (error) {
    const cause = error instanceof Error ? String(error.cause ?? error.message) : String(error);
    throw new Error(`GET ${url}${path}?${query} failed: ${cause}; is Nautobot still running?`);
  }
  if (response.status !== 200) {
    throw new Error(
      `GET ${path}?${query} answered ${response.status}, expected 200: ${text.slice(0, 300)}`,
    );
  }
  return pageSchema.parse(JSON.parse(text));
}

const logLineSchema = z.looseObject({
  msg: z.string(),
  resource: z.string().optional(),
  count: z.number().optional(),
  elapsedMs: z.number().optional(),
});
type LogEvent = z.infer<typeof logLineSchema> & { atMs: number };

/** A real cloud on a fresh data dir syncs the Nautobot in full through its HTTP API. */
async function syncThroughCloud(url: string, token: string): Promise<ChildResult> {
  // Loaded here, not at the top, so the plain child's RSS does not carry the cloud's modules.
  const { loadCloudConfig, startCloud } = await import('@plumbline/cloud');
  const { createLogger } = await import('@plumbline/log');
  const { addTenantAdmin } = await import('../support/addTenantAdmin.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const events: LogEvent[] = [];
  const logger = createLogger({
    name: 'bench-sync',
    level: 'debug',
    destination: {
      write(line: string) {
        events.push({ atMs: performance.now(), ...logLineSchema.parse(JSON.parse(line)) });
      },
    },
  });
  const transport = countingFetch();
  const config = loadCloudConfig({
    PLUMBLINE_DATA_DIR: dataDir,
    PLUMBLINE_HOST: '127.0.0.1',
    PLUMBLINE_PORT: '0',
    PLUMBLINE_SHUTDOWN_GRACE_MS: '1000',
  });
  const cloud = await startCloud(config, logger, { sot: { directFetch: transport.fetch } });
  try {
    const admin = await addTenantAdmin(cloud.store, 'bench');
    const api = cloudApi(cloud.url, admin.slug, admin.adminToken);
    const created = await api('POST', '/integrations', { name: 'bench', baseUrl: url, token });
    const integrationId = z.object({ integration: z.object({ id: z.string() }) }).parse(created)
      .integration.id;
    const sot = cloud.store.tenant(admin.tenantId).sot();

    const rssBeforeBytes = process.memoryUsage.rss();
    const started = performance.now();
    const answer = await api('POST', `/integrations/${integrationId}/sync`, { mode: 'full' });
    const runId = z.object({ run: z.object({ id: z.string() }) }).parse(answer).run.id;
    let run = await sot.getRun(integrationId, runId);
    while (run.state === 'queued' || run.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, runPollMs));
      run = await sot.getRun(integrationId, runId);
    }
    const doneAt = performance.now();
    if (run.state !== 'succeeded') {
      throw new Error(`the sync run ended ${run.state}: ${run.errorCode} ${run.errorMessage}`);
    }

    const listings = events.filter((event) => event.msg === 'nautobot list read');
    const perResource: PhaseResult['perResource'] = {};
    for (const listing of listings) {
      if (listing.resource === undefined) continue;
      const ms = listing.elapsedMs ?? 0;
      const startMs = listing.atMs - ms - started;
      perResource[listing.resource] = { objects: listing.count ?? 0, startMs, ms };
    }
    const readEnd = Math.max(started, ...listings.map((listing) => listing.atMs));
    return {
      phase: 'sync',
      wallMs: doneAt - started,
      objects: sum(Object.values(perResource).map((figures) => figures.objects)),
      requests: transport.requests(),
      perResource,
      pageSize: null,
      readMs: readEnd - started,
      writeMs: doneAt - readEnd,
      maxInFlight: transport.maxInFlight(),
      mirror: run.counts,
      nautobotCpuMs: null,
      rssBeforeBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Global fetch, counting requests and how many are in flight at once (until the body ends). */
function countingFetch() {
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const counted: typeof fetch = async (input, init) => {
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      inFlight--;
    }
  };
  return { fetch: counted, requests: () => requests, maxInFlight: () => maxInFlight };
}

function cloudApi(baseUrl: string, tenant: string, adminToken: string) {
  return async (method: string, path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${baseUrl}/api/v1/tenants/${tenant}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text);
  };
}

/** The child's side: run one phase and send its figures (or its failure) to the parent. */
async function runChildPhase(phase: 'plain' | 'sync', url: string): Promise<void> {
  const send = (message: z.infer<typeof childMessageSchema>) =>
    new Promise<void>((resolve) => process.send?.(message, () => resolve()) ?? resolve());
  try {
    const token = tokenSchema.parse(process.env.PLUMBLINE_BENCH_NAUTOBOT_TOKEN);
    const result =
      phase === 'plain' ? await downloadPlain(url, token) : await syncThroughCloud(url, token);
    await send({ ok: true, result });
  } catch (error) {
    await send({
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}

/** A phase in its child, with Nautobot's CPU time read before and after it. */
async function measurePhase(phase: 'plain' | 'sync', url: string, token: string) {
  const cpuBefore = serverCpuMs(url);
  const result = await runPhaseInChild(phase, url, token);
  const cpuAfter = serverCpuMs(url);
  const nautobotCpuMs =
    cpuBefore === undefined || cpuAfter === undefined ? null : cpuAfter - cpuBefore;
  return { ...result, nautobotCpuMs };
}

/**
 * User plus system CPU time of the local processes serving `url` (uWSGI started with
 * `--http=127.0.0.1:<port>`, as the lab and the bench Nautobot are), from /proc; undefined when
 * none is found (another host, not Linux). PostgreSQL's backends are not counted, and a worker
 * uWSGI restarts meanwhile loses what it had spent.
 */
function serverCpuMs(url: string): number | undefined {
  const listen = `--http=127.0.0.1:${new URL(url).port}`;
  let ticks: number | undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(listen)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis start at field 3; utime is 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks = (ticks ?? 0) + Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while it was read.
    }
  }
  // Linux counts these in USER_HZ ticks, 100 a second.
  return ticks === undefined ? undefined : ticks * 10;
}

/** Forks this file with `--phase`; the token goes in the environment, never in argv. */
function runPhaseInChild(phase: 'plain' | 'sync', url: string, token: string) {
  const file = fileURLToPath(import.meta.url);
  const child = fork(file, ['--phase', phase, '--url', url], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PLUMBLINE_BENCH_NAUTOBOT_TOKEN: token, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-4000);
  });
  return new Promise<ChildResult>((resolve, reject) => {
    let message: z.infer<typeof childMessageSchema> | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), phaseTimeoutMs);
    child.on('message', (raw) => {
      message = childMessageSchema.parse(raw);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (message?.ok === true) resolve(message.result);
      else if (message?.ok === false)
        reject(new Error(`the ${phase} phase failed: ${message.error}`));
      else
        reject(
          new Error(
            `the ${phase} phase exited (${signal ?? code}) without figures: ${stderr.trim()}`,
          ),
        );
    });
  });
}

// ---- the parent: target, warm-up, printing ------------------------------------------------

/** Wakes each uWSGI worker and Nautobot's caches: every endpoint, one row, three at once. */
async function warmUp(url: string, token: string): Promise<void> {
  for (const resource of syncedResources) {
    const path = resources[resource].path;
    await Promise.all([0, 1, 2].map(() => getPage(url, token, path, 1, 0)));
  }
}

async function readNautobotVersion(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}/api/status/`, {
    headers: { Authorization: `Token ${token}`, Accept: acceptHeader },
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`GET ${url}/api/status/ answered ${response.status}, expected 200: ${text}`);
  }
  return z.object({ 'nautobot-version': z.string() }).parse(JSON.parse(text))['nautobot-version'];
}

function phaseLine(phase: PhaseResult): string {
  const parts = [
    `${phase.phase.padEnd(5)} ${phase.objects} objects, ${phase.requests} requests`,
    `${seconds(phase.wallMs)} s`,
    `${perSecond(phase).toFixed(0)} objects/s`,
    `RSS before ${mib(phase.rssBeforeBytes)}, peak ${mib(phase.peakRssBytes)}`,
    `Nautobot CPU ${phase.nautobotCpuMs === null ? 'n/a' : seconds(phase.nautobotCpuMs)} s`,
  ];
  if (phase.readMs !== null && phase.writeMs !== null) {
    parts.push(`read ${seconds(phase.readMs)} s + map and write ${seconds(phase.writeMs)} s`);
  }
  return parts.join(', ');
}

function printSummary(rounds: SyncBenchmarkRound[], say: (line: string) => void): void {
  const of = (side: 'plain' | 'sync', figure: (phase: PhaseResult) => number) =>
    median(rounds.map((round) => figure(round[side])));
  const widths = [6, 10, 10, 10, 11, 12, 12, 15];
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(6) : cell.padStart(widths[i] ?? 10))).join('');

  say(`\nmedian of ${rounds.length} rounds (each phase in its own child process)`);
  const titles = ['objects', 'requests', 'time s', 'objects/s', 'RSS before', 'peak RSS'];
  say(row(['', ...titles, 'Nautobot CPU s']));
  for (const side of ['plain', 'sync'] as const) {
    say(
      row([
        side,
        String(of(side, (phase) => phase.objects)),
        String(of(side, (phase) => phase.requests)),
        seconds(of(side, (phase) => phase.wallMs)),
        of(side, perSecond).toFixed(0),
        mib(of(side, (phase) => phase.rssBeforeBytes)),
        mib(of(side, (phase) => phase.peakRssBytes)),
        seconds(of(side, (phase) => phase.nautobotCpuMs ?? Number.NaN)),
      ]),
    );
  }
  const ratio = median(rounds.map((round) => round.sync.wallMs / round.plain.wallMs));
  const verdict = ratio < 1 ? 'the sync is faster' : 'the sync is NOT faster';
  say(`ratio sync/plain (time, median of rounds): ${ratio.toFixed(2)}x; ${verdict}`);
  const pageSize = rounds[0]?.plain.pageSize;
  say(
    pageSize === null || pageSize === undefined
      ? 'page size: every table fit in one page of the server maximum'
      : `page size: ${pageSize} rows (the server's maximum, from limit=0)`,
  );
  const sync = rounds[0]?.sync;
  if (sync !== undefined) {
    say(`sync: at most ${sync.maxInFlight} requests to Nautobot in flight at once`);
    say(
      `mirror after the sync: ${Object.entries(sync.mirror ?? {})
        .map(([table, n]) => `${table} ${n}`)
        .join(', ')}`,
    );
  }
}

function printProfile(rounds: SyncBenchmarkRound[], say: (line: string) => void): void {
  const of = (side: 'plain' | 'sync', resource: string, figure: 'ms' | 'startMs') =>
    median(rounds.map((round) => round[side].perResource[resource]?.[figure] ?? Number.NaN));
  const objectsOf = (side: 'plain' | 'sync', resource: string) =>
    rounds[0]?.[side].perResource[resource]?.objects ?? Number.NaN;
  const columns = ['objects', 'plain ms', 'sync from', 'sync ms'];
  say('\nprofile (medians): plain reads one table after another, the sync three at once;');
  say('"sync from" is when the sync began listing the table, in ms after the POST');
  say(`${'table'.padEnd(22)}${columns.map((title) => title.padStart(10)).join('')}`);
  const byStart = [...syncedResources].sort(
    (a, b) => of('sync', a, 'startMs') - of('sync', b, 'startMs'),
  );
  for (const resource of byStart) {
    const objects = objectsOf('plain', resource);
    const cells = [
      String(objects),
      ms(of('plain', resource, 'ms')),
      ms(of('sync', resource, 'startMs')),
      ms(of('sync', resource, 'ms')),
    ];
    const differs = objects === objectsOf('sync', resource) ? '' : ' (sync counted otherwise)';
    say(`${resource.padEnd(22)}${cells.map((cell) => cell.padStart(10)).join('')}${differs}`);
  }
  const firstListing = median(
    rounds.map((round) => Math.min(...Object.values(round.sync.perResource).map((r) => r.startMs))),
  );
  const read = median(rounds.map((round) => round.sync.readMs ?? Number.NaN));
  const write = median(rounds.map((round) => round.sync.writeMs ?? Number.NaN));
  say(
    `sync: ${seconds(firstListing)} s from the POST to the first listing (run start, counts), ` +
      `${seconds(read - firstListing)} s listing, ` +
      `${seconds(write)} s from the last listing to succeeded (map the rows, write the mirror)`,
  );
}

function perSecond(phase: PhaseResult): number {
  return (phase.objects / phase.wallMs) * 1000;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function seconds(valueMs: number): string {
  return Number.isNaN(valueMs) ? 'n/a' : (valueMs / 1000).toFixed(2);
}

function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(0);
}

// ---- command line -------------------------------------------------------------------------

const flagsSchema = z
  .object({
    rounds: z.coerce.number().int().min(1).max(20),
    url: z.url().optional(),
    token: tokenSchema.optional(),
    phase: z.enum(['plain', 'sync']).optional(),
  })
  .refine(
    (flags) =>
      flags.phase !== undefined || (flags.url === undefined) === (flags.token === undefined),
    {
      message: 'give --url and --token together, or neither for the bench Nautobot',
    },
  );
type Flags = z.infer<typeof flagsSchema>;

function parseFlags(): Flags {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      url: { type: 'string' },
      token: { type: 'string' },
      phase: { type: 'string' },
    },
  });
  const flags = flagsSchema.safeParse(values);
  if (!flags.success) {
    const issue = flags.error.issues[0];
    throw new Error(`--${String(issue?.path[0] ?? 'url')}: ${issue?.message}`);
  }
  return flags.data;
}

interface Target {
  url: string;
  token: string;
  /** Called at the end: stops a bench Nautobot this run started. */
  release(): Promise<void>;
}

/**
 * The running bench Nautobot; else a copy of its seeded template, started here; else the lab's
 * with a note. Never seeds: that takes about 17 minutes and may already be under way.
 */
async function chooseTarget(say: (line: string) => void): Promise<Target> {
  const keep = async () => {};
  const running = await runningBenchNautobot();
  if (running !== undefined) {
    say(`bench Nautobot already running: ${running.devices} devices at ${running.url}`);
    return { url: running.url, token: running.token, release: keep };
  }
  const template = seededTemplateName(nautobotCacheKey(), defaultBenchDevices);
  if (await databaseExists(template)) {
    const started = await startBenchNautobot({ report: (line) => say(`  ${line}`) });
    say(`started the bench Nautobot: ${started.devices} devices at ${started.url}`);
    return { url: started.url, token: started.token, release: stopBenchNautobot };
  }
  const lab = readLabState();
  say(
    `NOTE: the ${defaultBenchDevices}-device bench Nautobot is not seeded yet ` +
      "(pnpm bench:nautobot-lab start seeds it, about 17 minutes); measuring the lab's " +
      `${lab.seed.devices}-device Nautobot at ${lab.nautobot.url} instead`,
  );
  return { url: lab.nautobot.url, token: lab.nautobot.tokens.readOnly, release: keep };
}

async function main(): Promise<void> {
  const flags = parseFlags();
  if (flags.phase !== undefined) {
    if (flags.url === undefined) throw new Error('--phase needs --url');
    await runChildPhase(flags.phase, flags.url);
    // Fetch's keep-alive sockets would hold the child open; the figures are sent already.
    process.exit(0);
  }
  say(`bench:sync: ${flags.rounds} rounds of plain download then full sync`);
  const target =
    flags.url !== undefined && flags.token !== undefined
      ? { url: flags.url.replace(/\/+$/, ''), token: flags.token, release: async () => {} }
      : await chooseTarget(say);
  try {
    await runSyncBenchmark({ url: target.url, token: target.token, rounds: flags.rounds, say });
  } finally {
    await target.release();
  }
}

function say(line: string): void {
  sayToStdout(line);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:sync failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = 1;
  });
}
