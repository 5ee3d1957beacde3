import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { AgentError, enrollAgent, type RunningAgent, startAgent } from '@plumbline/agent';
import { ConfigError, loadCloudConfig, type RunningCloud, startCloud } from '@plumbline/cloud';
import { componentLogger, createLogger, type Logger } from '@plumbline/log';
import { z } from 'zod';
import { runningLab, startLab, stopLab } from '../lab/lab.ts';
import type { LabState } from '../lab/state.ts';
import { CleanupStack } from './CleanupStack.ts';
import { DemoApi } from './DemoApi.ts';
import { DemoError } from './DemoError.ts';
import { type DemoPaths, prepareDemoDir } from './prepareDemoDir.ts';
import { type DemoFleet, startDemoFleet } from './startDemoFleet.ts';
import { type SyncRunView, waitForSyncRun } from './waitForSyncRun.ts';
import { writePrivateFile } from './writePrivateFile.ts';

export interface StartDemoOptions {
  /** Emptied and filled at every start; refused when it holds files the demo did not make. */
  dataDir: string;
  /** The cloud's port on 127.0.0.1; 0 picks a free one. */
  cloudPort: number;
  /** The agent's /healthz, /readyz and /metrics port on 127.0.0.1; 0 any, false none. */
  agentHealthPort: number | false;
  /** Where cloud, agent and simulators log; JSON lines in `<dataDir>/logs/demo.log` if absent. */
  logger?: Logger;
  /** One line per step, for a person watching the start. */
  report?: (line: string) => void;
  /** How long the first sync may take before the start gives up; 5 minutes by default. */
  syncTimeoutMs?: number;
}

export interface RunningDemo {
  paths: DemoPaths;
  lab: LabState;
  /** The demo started the lab, so its stop stops the lab (never the lab's caches). */
  startedLab: boolean;
  fleet: DemoFleet;
  cloudUrl: string;
  tenant: { id: string; slug: string; displayName: string };
  adminEmail: string;
  agent: { id: string; name: string; healthUrl: string | undefined };
  integration: z.output<typeof integrationSchema>;
  firstSync: SyncRunView;
  /** A device of the mirror, read back through the API, for the guide's examples. */
  exampleDevice: { id: string; hostname: string } | undefined;
  /** Stops what the start started, newest first; safe to call twice. */
  stop(): Promise<void>;
}

const tenant = { slug: 'demo', displayName: 'Demo Networks' } as const;
const adminEmail = 'admin@demo.example';
const agentName = 'demo-edge';
const integrationName = 'lab Nautobot (through demo-edge)';
const agentConnectTimeoutMs = 30_000;
const actor = { kind: 'cli', id: null, label: 'plumbline demo (test/demo)' } as const;

const integrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  resyncIntervalMinutes: z.number(),
  status: z.object({
    state: z.string(),
    code: z.string().nullable(),
    message: z.string().nullable(),
    nautobotVersion: z.string().nullable(),
    deviceCount: z.number().nullable(),
  }),
});
const integrationAnswer = z.object({ integration: integrationSchema });
const enrollmentTokenAnswer = z.object({ token: z.string().min(1) });
const devicesAnswer = z.object({
  devices: z.array(z.object({ id: z.string(), hostname: z.string() })),
});
const agentAnswer = z.object({ agent: z.object({ state: z.string() }) });

/**
 * Brings up the whole demo: the lab (started if it is not running), a simulated fleet from the
 * lab's intended configs, a cloud with a demo tenant and admin, an agent enrolled with a real
 * enrollment token and connected through the tunnel, and a Nautobot integration reached through
 * that agent, probed and synced once. On a failure it stops what it had started and rethrows.
 */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const report = options.report ?? (() => {});
  const paths = prepareDemoDir(options.dataDir);
  const stack = new CleanupStack();
  try {
    const logger = options.logger ?? fileLogger(join(paths.logs, 'demo.log'), stack);
    return await bringUp(options, paths, logger, report, stack);
  } catch (error) {
    try {
      await stack.unwind();
    } catch (cleanup) {
      throw new AggregateError([error, cleanup], 'the demo did not start, and stopping failed');
    }
    throw error;
  }
}

async function bringUp(
  options: StartDemoOptions,
  paths: DemoPaths,
  logger: Logger,
  report: (line: string) => void,
  stack: CleanupStack,
): Promise<RunningDemo> {
  const { lab, startedLab } = await ensureLab(report);
  if (startedLab) stack.push('the lab', () => stopLab());

  const fleet = await startDemoFleet(
    lab.seed.devices,
    paths.fleetInventoryFile,
    componentLogger(logger, 'devicesim'),
  );
  stack.push('the simulated fleet', () => fleet.close());
  report(`${fleet.fleet.devices.length} simulated devices listening on 127.0.0.1`);

  const cloud = await startDemoCloud(paths, options.cloudPort, logger);
  stack.push('the cloud', () => cloud.stop());
  report(`cloud listening at ${cloud.url}`);

  const api = await createTenantAdmin(cloud, paths);
  report(`tenant "${tenant.slug}" with admin ${adminEmail}`);

  const agent = await enrollAndConnect(cloud.url, api, paths, options.agentHealthPort, logger);
  stack.push('the agent', () => agent.stop());
  report(`agent ${agentName} enrolled and connected through the tunnel (${agent.agentId})`);

  const integration = await connectNautobot(api, lab, agent.agentId);
  report(
    `integration green: Nautobot ${integration.status.nautobotVersion ?? '?'} at ` +
      `${integration.baseUrl}, ${integration.status.deviceCount ?? '?'} devices, via the agent`,
  );

  const firstSync = await syncOnce(api, integration.id, options.syncTimeoutMs ?? 300_000);
  report(`first sync ${firstSync.state} in ${firstSync.durationMs ?? '?'} ms`);
  const exampleDevice = await firstMirroredDevice(api, integration.id);

  return {
    paths,
    lab,
    startedLab,
    fleet,
    cloudUrl: cloud.url,
    tenant: { id: api.tenantId, ...tenant },
    adminEmail,
    agent: {
      id: agent.agentId,
      name: agentName,
      healthUrl: agent.health && `http://${agent.health.host}:${agent.health.port}`,
    },
    integration,
    firstSync,
    exampleDevice,
    stop: once(() => stack.unwind()),
  };
}

async function ensureLab(report: (line: string) => void) {
  const running = await runningLab();
  if (running !== undefined) {
    report(`lab already running (Nautobot ${running.nautobot.url}); the demo leaves it running`);
    return { lab: running, startedLab: false };
  }
  report('lab not running: starting it (the first start builds Nautobot: several minutes)');
  const lab = await startLab({ report: (line) => report(`  lab: ${line}`) });
  return { lab, startedLab: true };
}

async function startDemoCloud(paths: DemoPaths, port: number, logger: Logger) {
  const config = loadCloudConfig({
    PLUMBLINE_DATA_DIR: paths.cloudData,
    PLUMBLINE_HOST: '127.0.0.1',
    PLUMBLINE_PORT: String(port),
    PLUMBLINE_SHUTDOWN_GRACE_MS: '2000',
  });
  try {
    return await startCloud(config, componentLogger(logger, 'cloud'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message;
    throw new DemoError(
      'cloud_not_started',
      `the cloud cannot listen on 127.0.0.1:${port} (${code}); ` +
        'pass --port with a free port, or stop what listens there',
      { cause: error },
    );
  }
}

/**
 * The tenant, its admin (with a password, for signing in) and an API token, made through the
 * store as `plumbline-cloud admin` does: no HTTP route creates tenants. Secrets go to 0600 files.
 */
async function createTenantAdmin(cloud: RunningCloud, paths: DemoPaths) {
  const store = cloud.store;
  const created = await store.createTenant(tenant, actor);
  const password = randomBytes(18).toString('base64url');
  const user = await store.createUser(
    { email: adminEmail, displayName: 'Demo admin', password },
    actor,
  );
  const scope = store.tenant(created.id);
  await scope.addMember({ email: adminEmail, role: 'admin' }, actor);
  const { secret } = await scope.createToken({ userId: user.id, name: 'demo' }, actor);
  writePrivateFile(paths.adminPasswordFile, `${password}\n`);
  writePrivateFile(paths.apiTokenFile, `${secret}\n`);
  return Object.assign(new DemoApi(cloud.url, tenant.slug, secret), { tenantId: created.id });
}

async function enrollAndConnect(
  cloudUrl: string,
  api: DemoApi,
  paths: DemoPaths,
  healthPort: number | false,
  logger: Logger,
): Promise<RunningAgent> {
  const { token } = await api.call('POST', '/agents/enrollment-tokens', enrollmentTokenAnswer, {
    ttlMinutes: 10,
  });
  await enrollAgent({ cloudUrl, token, stateDir: paths.agentState, name: agentName });
  const agent = await startAgent({
    stateDir: paths.agentState,
    logger: componentLogger(logger, 'agent'),
    healthPort,
    healthHost: '127.0.0.1',
  }).catch((error: unknown) => {
    if (!(error instanceof AgentError) || error.code !== 'health_port_unavailable') throw error;
    const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message;
    throw new DemoError(
      'agent_not_started',
      `the agent cannot serve its health port 127.0.0.1:${healthPort} (${code}); ` +
        'pass --agent-health-port with a free port, or stop what listens there',
      { cause: error },
    );
  });
  try {
    await withTimeout(agent.whenConnected(), agentConnectTimeoutMs, () => {
      const log = join(paths.logs, 'demo.log');
      return new DemoError(
        'agent_not_connected',
        `the agent did not connect to ${cloudUrl} within ${agentConnectTimeoutMs} ms; ` +
          `its reasons are in ${log} (component "agent")`,
      );
    });
    const { agent: seen } = await api.call('GET', `/agents/${agent.agentId}`, agentAnswer);
    if (seen.state !== 'online') {
      throw new DemoError('agent_not_connected', `the cloud lists the agent as ${seen.state}`);
    }
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return agent;
}

/** Adds the lab's Nautobot (its read-only token) reachable via the agent, and probes it. */
async function connectNautobot(api: DemoApi, lab: LabState, agentId: string) {
  const { integration } = await api.call('POST', '/integrations', integrationAnswer, {
    name: integrationName,
    baseUrl: lab.nautobot.url,
    token: lab.nautobot.tokens.readOnly,
    reachableViaAgentId: agentId,
  });
  const probed = await api.call('POST', `/integrations/${integration.id}/probe`, integrationAnswer);
  const { status } = probed.integration;
  if (status.state !== 'green') {
    throw new DemoError(
      'probe_red',
      `expected the probe of ${lab.nautobot.url} through agent ${agentName} to be green, ` +
        `found ${status.state}: ${status.code ?? ''} ${status.message ?? ''}; ` +
        'check the lab with: test/lab/lab status',
    );
  }
  return probed.integration;
}

/** A full sync through the API; one the schedule started meanwhile is waited for instead. */
async function syncOnce(api: DemoApi, integrationId: string, timeoutMs: number) {
  const started = await api.send('POST', `/integrations/${integrationId}/sync`, { mode: 'full' });
  const runId = z
    .union([z.object({ run: z.object({ id: z.string() }) }), z.object({ runId: z.string() })])
    .transform((body) => ('run' in body ? body.run.id : body.runId))
    .parse(started.json);
  const run = await waitForSyncRun(api, integrationId, runId, timeoutMs);
  if (run.state !== 'succeeded') {
    throw new DemoError(
      'sync_failed',
      `expected the first sync to succeed, found ${run.state}: ` +
        `${run.error?.code ?? ''} ${run.error?.message ?? ''}`,
    );
  }
  return run;
}

async function firstMirroredDevice(api: DemoApi, integrationId: string) {
  const { devices } = await api.call(
    'GET',
    `/integrations/${integrationId}/devices?limit=1000`,
    devicesAnswer,
  );
  return devices.sort((a, b) => a.hostname.localeCompare(b.hostname))[0];
}

function fileLogger(path: string, stack: CleanupStack): Logger {
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  stack.push('the log file', () => new Promise<void>((resolve) => stream.end(resolve)));
  return createLogger({ name: 'plumbline-demo', level: 'info', destination: stream });
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= run();
    return running;
  };
}
