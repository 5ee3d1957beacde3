/**
 * A second, benchmark-size Nautobot beside the lab's: same venv, same migrated template, its
 * own database, port, Redis databases and daemon name, so the lab on 127.0.0.1:8480 (12
 * devices, used by the integration tests) keeps running untouched.
 *
 * Seeding 2,000 devices through the REST API takes about 17 minutes (longer while the lab is
 * busy), so it is done once per cache key and device count: the seeded database is kept as a
 * template (`plumbline_benchtpl_<key>_<devices>`), and each start serves a fresh copy of it
 * (`plumbline_bench`), made in seconds. The admin token made for the seed lives in that
 * template, and in a 0600 file beside the lab cache.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { daemonPid, startDaemon, stopDaemon } from '../lab/daemon.ts';
import { nautobotEnvironment } from '../lab/nautobot/environment.ts';
import {
  adminPassword,
  adminUsername,
  ensureTemplateDatabase,
  ensureVenv,
  type Report,
} from '../lab/nautobot/install.ts';
import {
  createDatabaseFromTemplate,
  databaseExists,
  dropDatabase,
  sql,
} from '../lab/nautobot/postgres.ts';
import {
  nautobotHealthyAt,
  uwsgiStartArgs,
  waitForNautobotHealth,
} from '../lab/nautobot/server.ts';
import {
  cacheDir,
  NAUTOBOT_VERSION,
  nautobotCacheKey,
  runDir,
  templateDatabaseName,
} from '../lab/paths.ts';
import { run } from '../lab/run.ts';
import { applyInventory, planInventory } from '../lab/seed/index.ts';

export const benchNautobotPort = Number(process.env.PLUMBLINE_BENCH_NAUTOBOT_PORT ?? '8481');
export const benchNautobotUrl = `http://127.0.0.1:${benchNautobotPort}`;
export const benchDatabaseName = 'plumbline_bench';
export const defaultBenchDevices = 2000;

/** The lab uses Redis databases 10 and 11 and flushes them on start; these are the bench's. */
const redisBrokerDb = 12;
const redisCacheDb = 13;
const WEB = 'nautobot-bench-web';

const seededSchema = z.object({
  template: z.string(),
  devices: z.number().int().positive(),
  token: z.string().regex(/^[0-9a-f]{40}$/),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  seededAt: z.iso.datetime(),
  seedSeconds: z.number(),
});
export type SeededTemplate = z.infer<typeof seededSchema>;

const runningSchema = seededSchema.extend({
  url: z.url(),
  version: z.string(),
  database: z.string(),
  startedAt: z.iso.datetime(),
});
/** What a benchmark reads: where the bench Nautobot is, its token and what it holds. */
export type BenchNautobotState = z.infer<typeof runningSchema>;

const runningFile = join(runDir, 'bench-nautobot.json');

function seededFile(key: string, devices: number): string {
  return join(cacheDir, `bench-seeded-${key}-${devices}.json`);
}

export function seededTemplateName(key: string, devices: number): string {
  return `plumbline_benchtpl_${key}_${devices}`;
}

export interface StartBenchOptions {
  devices?: number;
  report?: Report;
}

/**
 * Serves a fresh copy of the seeded template on the bench port, seeding it first when no
 * template exists for this cache key and size. Does nothing when it already runs that size.
 */
export async function startBenchNautobot(
  options: StartBenchOptions = {},
): Promise<BenchNautobotState> {
  const devices = options.devices ?? defaultBenchDevices;
  const report = options.report ?? (() => {});
  const running = await runningBenchNautobot();
  if (running?.devices === devices) {
    report(`bench Nautobot already serves ${devices} devices at ${running.url}`);
    return running;
  }

  const key = nautobotCacheKey();
  await ensureVenv(key, report);
  await ensureTemplateDatabase(key, report);
  const seeded = await ensureSeededTemplate(key, devices, report);

  await stopBenchNautobot();
  await createDatabaseFromTemplate(benchDatabaseName, seeded.template);
  await startWeb(key, benchDatabaseName, report, { nice: false });
  const state: BenchNautobotState = {
    ...seeded,
    url: benchNautobotUrl,
    version: NAUTOBOT_VERSION,
    database: benchDatabaseName,
    startedAt: new Date().toISOString(),
  };
  writeSecretFile(runningFile, state);
  return state;
}

/** Stops the bench web server and drops its working copy; the seeded template stays. */
export async function stopBenchNautobot(): Promise<void> {
  rmSync(runningFile, { force: true });
  await stopDaemon(WEB);
  await dropDatabase(benchDatabaseName);
}

/** The running bench Nautobot, or undefined when it is not up. */
export async function runningBenchNautobot(): Promise<BenchNautobotState | undefined> {
  if (
    !existsSync(runningFile) ||
    daemonPid(WEB) === undefined ||
    !(await nautobotHealthyAt(benchNautobotUrl))
  ) {
    return undefined;
  }
  return runningSchema.parse(JSON.parse(readFileSync(runningFile, 'utf8')));
}

/** The seeded template for this size, seeding a copy of the migrated template if missing. */
async function ensureSeededTemplate(
  key: string,
  devices: number,
  report: Report,
): Promise<SeededTemplate> {
  const template = seededTemplateName(key, devices);
  const file = seededFile(key, devices);
  if (existsSync(file) && (await databaseExists(template))) {
    return seededSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  const building = `${template}_building`;
  await stopDaemon(WEB);
  await dropDatabase(template);
  await dropDatabase(building);
  await createDatabaseFromTemplate(building, templateDatabaseName(key));
  await startWeb(key, building, report, { nice: true });

  const started = performance.now();
  const token = await createAdminToken();
  report(`seeding ${devices} devices into ${building} (about 17 minutes for 2000)`);
  const seed = await applyInventory(planInventory(devices), {
    url: benchNautobotUrl,
    token,
    onProgress: (step, done, total) => report(`  ${step}: ${done}/${total}`),
  });
  const seedSeconds = Math.round((performance.now() - started) / 1000);

  await stopDaemon(WEB);
  // uWSGI's connections may outlive it by a moment, and a database in use cannot be renamed.
  await sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${building}'`);
  await sql(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
  const seeded: SeededTemplate = {
    template,
    devices,
    token,
    counts: seed.counts,
    seededAt: new Date().toISOString(),
    seedSeconds,
  };
  writeSecretFile(file, seeded);
  report(`seeded ${devices} devices in ${seedSeconds} s; kept as template ${template}`);
  return seeded;
}

/**
 * uWSGI as the lab runs it (test/lab/nautobot/server.ts: three processes, two threads), on the
 * bench port. While seeding it runs at a lower CPU priority, so that the 17 minutes or more
 * yield to the lab's tests; when serving a benchmark at the normal one, or the figures would
 * measure the machine's other load. No Celery worker: the benchmark needs no webhooks or jobs.
 */
async function startWeb(
  key: string,
  databaseName: string,
  report: Report,
  { nice }: { nice: boolean },
): Promise<void> {
  for (const db of [redisBrokerDb, redisCacheDb]) {
    await run('redis-cli', ['-h', '127.0.0.1', '-n', String(db), 'FLUSHDB']);
  }
  const env = {
    ...nautobotEnvironment(key, databaseName),
    NAUTOBOT_CELERY_BROKER_URL: `redis://127.0.0.1:6379/${redisBrokerDb}`,
    PLUMBLINE_LAB_REDIS_CACHE_DB: String(redisCacheDb),
  };
  startDaemon({
    name: WEB,
    command: nice ? 'nice' : 'nautobot-server',
    args: [
      ...(nice ? ['-n', '10', 'nautobot-server'] : []),
      ...uwsgiStartArgs(benchNautobotPort, key),
    ],
    env,
  });
  await waitForNautobotHealth({
    url: benchNautobotUrl,
    daemonName: WEB,
    label: 'the bench Nautobot',
    timeoutMs: 180_000,
  });
  report(`bench Nautobot ${NAUTOBOT_VERSION} healthy at ${benchNautobotUrl} (${databaseName})`);
}

/** The template's admin (same password as the lab's) makes a token with Basic auth. */
async function createAdminToken(): Promise<string> {
  const key = randomBytes(20).toString('hex');
  const basic = Buffer.from(`${adminUsername}:${adminPassword()}`).toString('base64');
  const response = await fetch(`${benchNautobotUrl}/api/users/tokens/`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/json',
      Accept: 'application/json; version=3.2',
    },
    body: JSON.stringify({ key, write_enabled: true, description: 'bench read-write' }),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST /api/users/tokens/ answered ${response.status}, expected 201: ${text}`);
  }
  return key;
}

function writeSecretFile(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}
