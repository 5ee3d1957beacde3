import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonPid, logFile, startDaemon, stopDaemon } from '../daemon.js';
import { nautobotRootDir } from '../paths.js';
import { run } from '../run.js';
import {
  nautobotEnvironment,
  nautobotPort,
  nautobotUrl,
  redisBrokerDb,
  redisCacheDb,
} from './environment.js';

const WEB = 'nautobot-web';
const WORKER = 'nautobot-worker';

/**
 * Starts uWSGI (three processes, as the page-parallel sync of later issues needs more than one
 * request at a time) and one Celery worker, which delivers webhooks.
 */
export async function startNautobot(key: string, databaseName: string): Promise<void> {
  const env = nautobotEnvironment(key, databaseName);
  await flushLabRedis();

  startDaemon({
    name: WEB,
    command: 'nautobot-server',
    args: uwsgiStartArgs(nautobotPort, key),
    env,
  });
  startDaemon({
    name: WORKER,
    command: 'nautobot-server',
    args: ['celery', 'worker', '--loglevel=INFO', '--concurrency=2', '--pool=prefork'],
    env,
  });
  await waitForNautobotHealth({ url: nautobotUrl, daemonName: WEB, label: 'Nautobot' });
}

/**
 * `nautobot-server start` arguments: uWSGI serving on 127.0.0.1:port with the static files of
 * the install under cache key `key`. The bench's own Nautobot starts with the same ones.
 */
export function uwsgiStartArgs(port: number, key: string): string[] {
  return [
    'start',
    `--http=127.0.0.1:${port}`,
    '--master',
    '--processes=3',
    '--threads=2',
    '--enable-threads',
    '--lazy-apps',
    '--die-on-term',
    '--buffer-size=32768',
    '--harakiri=300',
    // The HTTP router's own defaults drop a request after 60 s (a large bulk POST takes
    // longer) and close every connection without saying so, which breaks clients' reuse.
    '--http-timeout=300',
    '--http-keepalive',
    `--static-map=/static=${join(nautobotRootDir(key), 'static')}`,
  ];
}

export async function stopNautobot(): Promise<void> {
  await Promise.all([stopDaemon(WEB), stopDaemon(WORKER)]);
}

export function nautobotProcessesAlive(): boolean {
  return daemonPid(WEB) !== undefined && daemonPid(WORKER) !== undefined;
}

export async function nautobotHealthy(): Promise<boolean> {
  return nautobotHealthyAt(nautobotUrl);
}

/** True when the Nautobot at `url` answers /health/ with 200 within 5 s. */
export async function nautobotHealthyAt(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Waits until the Nautobot at `url` is healthy; gives up early when its uWSGI daemon
 * `daemonName` has exited. `label` names it in the error ("Nautobot", "the bench Nautobot").
 */
export async function waitForNautobotHealth({
  url,
  daemonName,
  label,
  timeoutMs = 120_000,
}: {
  url: string;
  daemonName: string;
  label: string;
  timeoutMs?: number;
}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await nautobotHealthyAt(url)) return;
    if (daemonPid(daemonName) === undefined) break;
    await sleep(250);
  }
  throw new Error(
    `${label} did not answer ${url}/health/ with 200 within ${timeoutMs / 1000} s; ` +
      `see ${logFile(daemonName)}`,
  );
}

/** The lab's own Redis databases only: a fresh database must not meet a stale cache. */
async function flushLabRedis(): Promise<void> {
  for (const db of [redisBrokerDb, redisCacheDb]) {
    await run('redis-cli', ['-h', '127.0.0.1', '-n', String(db), 'FLUSHDB']);
  }
}
