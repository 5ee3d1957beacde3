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
    args: [
      'start',
      `--http=127.0.0.1:${nautobotPort}`,
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
    ],
    env,
  });
  startDaemon({
    name: WORKER,
    command: 'nautobot-server',
    args: ['celery', 'worker', '--loglevel=INFO', '--concurrency=2', '--pool=prefork'],
    env,
  });
  await waitForHealth();
}

export async function stopNautobot(): Promise<void> {
  await Promise.all([stopDaemon(WEB), stopDaemon(WORKER)]);
}

export function nautobotProcessesAlive(): boolean {
  return daemonPid(WEB) !== undefined && daemonPid(WORKER) !== undefined;
}

export async function nautobotHealthy(): Promise<boolean> {
  try {
    const response = await fetch(`${nautobotUrl}/health/`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function waitForHealth(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await nautobotHealthy()) return;
    if (daemonPid(WEB) === undefined) break;
    await sleep(250);
  }
  throw new Error(
    `Nautobot did not answer ${nautobotUrl}/health/ with 200 within ${timeoutMs / 1000} s; ` +
      `see ${logFile(WEB)}`,
  );
}

/** The lab's own Redis databases only: a fresh database must not meet a stale cache. */
async function flushLabRedis(): Promise<void> {
  for (const db of [redisBrokerDb, redisCacheDb]) {
    await run('redis-cli', ['-h', '127.0.0.1', '-n', String(db), 'FLUSHDB']);
  }
}
