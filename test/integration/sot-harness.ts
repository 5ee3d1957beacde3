import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCloudConfig, type RunningCloud, startCloud } from '@plumbline/cloud';
import { createLogger } from '@plumbline/log';
import { type LabState, readLabState } from '../lab/state.js';
import { addTenantAdmin, type TenantAdmin } from '../support/addTenantAdmin.ts';
import { freePort } from '../support/freePort.ts';

/**
 * JSON as Nautobot and the cloud's API send it. The tests read fields by name and compare them;
 * the comparisons are the type check.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export interface SotCloud {
  cloud: RunningCloud;
  admin: TenantAdmin;
  lab: LabState;
  /** The cloud's HTTP API as the tenant's admin. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }>;
  stop(): Promise<void>;
}

/**
 * A real cloud (startCloud: store on disk, HTTP server, schedule) listening on `host`, with one
 * tenant and its admin. `host` is 127.0.0.1, or a namespace-side address Nautobot may call.
 */
export async function startSotCloud(
  host = '127.0.0.1',
  options: Parameters<typeof startCloud>[2] = {},
): Promise<SotCloud> {
  const lab = readLabState();
  const dataDir = mkdtempSync(join(tmpdir(), 'plumbline-sot-'));
  const port = await freePort(host);
  const config = loadCloudConfig({
    PLUMBLINE_DATA_DIR: dataDir,
    PLUMBLINE_HOST: host,
    PLUMBLINE_PORT: String(port),
    PLUMBLINE_SHUTDOWN_GRACE_MS: '1000',
  });
  const logger = createLogger({ name: 'sot-test', level: process.env.SOT_TEST_LOG ?? 'silent' });
  const cloud = await startCloud(config, logger, options);
  const admin = await addTenantAdmin(cloud.store, 'acme');
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cloud.url}/api/v1/tenants/acme${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin.adminToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  const stop = async () => {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { cloud, admin, lab, api, stop };
}

/** Polls `check` every 100 ms until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a sync run through the API and waits until it has ended; returns the run. */
export async function syncAndWait(
  sot: SotCloud,
  integrationId: string,
  mode: 'full' | 'incremental' | 'auto' = 'full',
) {
  const started = await sot.api('POST', `/integrations/${integrationId}/sync`, { mode });
  if (started.status !== 202) throw new Error(`sync start: ${JSON.stringify(started.json)}`);
  const runId = started.json.run.id as string;
  return waitFor(`sync run ${runId} to end`, async () => {
    const { json } = await sot.api('GET', `/integrations/${integrationId}/sync-runs/${runId}`);
    return ['queued', 'running'].includes(json.run.state) ? undefined : json.run;
  });
}

/** A request to the lab's Nautobot with the read-write token, outside anything under test. */
export async function nautobot(lab: LabState, method: string, path: string, body?: unknown) {
  const response = await fetch(`${lab.nautobot.url}${path}`, {
    method,
    headers: {
      Authorization: `Token ${lab.nautobot.tokens.readWrite}`,
      Accept: 'application/json; version=3.2',
      'Content-Type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as Json);
}

/** Every object of a Nautobot list endpoint at depth 0 (the lab's tables fit in one page). */
export async function nautobotList(lab: LabState, path: string): Promise<Json[]> {
  const page = await nautobot(lab, 'GET', `${path}?limit=1000&depth=0`);
  if (page.next !== null) throw new Error(`${path} has more than one page`);
  return page.results;
}
