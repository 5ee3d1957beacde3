import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadCloudConfig, startCloud } from '@plumbline/cloud';
import { componentLogger, createLogger, type Logger } from '@plumbline/log';
import { runningLab, startLab, stopLab } from '../lab/lab.ts';
import type { LabState } from '../lab/state.ts';
import { CleanupStack } from './CleanupStack.ts';
import { connectDemoAgent, demoAgentName } from './connectDemoAgent.ts';
import { connectDemoNautobot, type DemoIntegration } from './connectDemoNautobot.ts';
import { createDemoAdmin, demoAdminEmail, demoTenant } from './createDemoAdmin.ts';
import { DemoError } from './DemoError.ts';
import { type DemoPaths, prepareDemoDir } from './prepareDemoDir.ts';
import { type FirstSync, runFirstSync } from './runFirstSync.ts';
import { type DemoFleet, startDemoFleet } from './startDemoFleet.ts';
import type { SyncRunView } from './waitForSyncRun.ts';

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
  integration: DemoIntegration;
  firstSync: SyncRunView;
  exampleDevice: FirstSync['exampleDevice'];
  /** Stops what the start started, newest first; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Brings up the whole demo: the lab (started if it is not running), a simulated fleet from the
 * lab's intended configs, a cloud with a demo tenant and admin, an agent enrolled with a real
 * enrollment token and connected through the tunnel, and a Nautobot integration reached through
 * that agent, probed and synced once. On a failure it stops what it had started and rethrows.
 */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const paths = prepareDemoDir(options.dataDir);
  const stack = new CleanupStack();
  try {
    const logger = options.logger ?? fileLogger(join(paths.logs, 'demo.log'), stack);
    return await bringUp(options, paths, logger, stack);
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
  stack: CleanupStack,
): Promise<RunningDemo> {
  const report = options.report ?? (() => {});
  const { lab, startedLab } = await ensureLab(report);
  if (startedLab) stack.push('the lab', () => stopLab());

  const devicesimLogger = componentLogger(logger, 'devicesim');
  const fleet = await startDemoFleet(lab.seed.devices, paths.fleetInventoryFile, devicesimLogger);
  stack.push('the simulated fleet', () => fleet.close());
  report(`${fleet.fleet.devices.length} simulated devices listening on 127.0.0.1`);

  const cloud = await startDemoCloud(paths, options.cloudPort, logger);
  stack.push('the cloud', () => cloud.stop());
  report(`cloud listening at ${cloud.url}`);

  const { api, tenantId } = await createDemoAdmin(cloud, paths);
  report(`tenant "${demoTenant.slug}" with admin ${demoAdminEmail}`);

  const agent = await connectDemoAgent(cloud.url, api, paths, options.agentHealthPort, logger);
  stack.push('the agent', () => agent.stop());
  report(`agent ${demoAgentName} enrolled and connected through the tunnel (${agent.agentId})`);

  const integration = await connectDemoNautobot(api, lab, {
    id: agent.agentId,
    name: demoAgentName,
  });
  const { status } = integration;
  report(
    `integration green: Nautobot ${status.nautobotVersion ?? '?'} at ${integration.baseUrl}, ` +
      `${status.deviceCount ?? '?'} devices, via the agent`,
  );

  const { run, exampleDevice } = await runFirstSync(
    api,
    integration.id,
    options.syncTimeoutMs ?? 300_000,
  );
  report(`first sync ${run.state} in ${run.durationMs ?? '?'} ms`);

  return {
    paths,
    lab,
    startedLab,
    fleet,
    cloudUrl: cloud.url,
    tenant: { id: tenantId, ...demoTenant },
    adminEmail: demoAdminEmail,
    agent: {
      id: agent.agentId,
      name: demoAgentName,
      healthUrl: agent.health && `http://${agent.health.host}:${agent.health.port}`,
    },
    integration,
    firstSync: run,
    exampleDevice,
    stop: once(() => stack.unwind()),
  };
}

/** The lab as it runs, whatever its size; else a start of the default lab (12 devices). */
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

function fileLogger(path: string, stack: CleanupStack): Logger {
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  stack.push('the log file', () => new Promise<void>((resolve) => stream.end(resolve)));
  return createLogger({ name: 'plumbline-demo', level: 'info', destination: stream });
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= run();
    return running;
  };
}
