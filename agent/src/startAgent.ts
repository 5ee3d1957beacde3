import { statSync } from 'node:fs';
import { componentLogger, type Logger } from '@plumbline/log';
import type { CloudFrame, FrameHandler } from '@plumbline/proto';
import type { AgentStatus } from './AgentStatus.ts';
import { type AgentTimers, type TimerHandle, withTimers } from './AgentTimers.ts';
import { createAgentMetrics } from './health/AgentMetrics.ts';
import { type HealthServer, startHealthServer } from './health/startHealthServer.ts';
import { HttpForwarder } from './http/HttpForwarder.ts';
import { IdentityStore } from './identity/IdentityStore.ts';
import { identityPath } from './identity/identityPath.ts';
import { JobHandlerRegistry } from './jobs/JobHandlerRegistry.ts';
import { JobJournal } from './jobs/JobJournal.ts';
import { JobRunner } from './jobs/JobRunner.ts';
import { outboundOptions } from './net/outboundOptions.ts';
import { KeyRotator } from './tunnel/KeyRotator.ts';
import { TunnelClient, tunnelUrl } from './tunnel/TunnelClient.ts';
import type { TunnelLink } from './tunnel/TunnelLink.ts';
import { defaultTunnelParameters, type TunnelParameters } from './tunnel/TunnelParameters.ts';

export interface StartAgentOptions {
  stateDir: string;
  logger: Logger;
  /** Refuse every job whose kind mutates; the cloud is told in `auth`. */
  readOnly?: boolean;
  handlers?: JobHandlerRegistry;
  /** Port of /healthz, /readyz, /metrics (0: any free port); false: no health server. */
  healthPort?: number | false;
  healthHost?: string;
  timers?: Partial<AgentTimers>;
  /** PEM bundle trusted beside Node's roots, for the cloud and for HTTP targets. */
  caFile?: string;
  /** Where HTTPS_PROXY / NO_PROXY are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  tunnel?: Partial<TunnelParameters>;
  maxConcurrentJobs?: number;
  /** On stop, how long running jobs may finish before they are aborted. */
  stopGraceMs?: number;
}

export interface RunningAgent {
  readonly agentId: string;
  /** Where the health server listens, when it runs. */
  readonly health: { host: string; port: number } | undefined;
  status(): AgentStatus;
  whenConnected(): Promise<void>;
  /** Stops taking jobs, lets running ones finish (up to the grace period), closes everything. */
  stop(): Promise<void>;
}

const dayMs = 24 * 3600 * 1000;

/** Reads the identity, opens the journal, starts the health server and dials the cloud. */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const timers = withTimers(options.timers);
  const identity = IdentityStore.load(options.stateDir);
  const { agentId, tenantId, tenantSlug, cloudSigningPublicKey } = identity.current();
  const logger = options.logger.child({ agentId, tenantId });
  const readOnly = options.readOnly ?? false;
  // A bad CA file or proxy setting will not mend itself: refuse to start rather than retry.
  outboundOptions(tunnelUrl(identity.current().cloudUrl), {
    caFile: options.caFile,
    env: options.env ?? process.env,
  });
  warnAboutExposure(options.stateDir, identity.current().cloudUrl, logger);

  const journal = JobJournal.open(options.stateDir);
  const recovered = journal.recoverUnfinished(timers.now());
  if (recovered.interrupted.length + recovered.forgotten.length > 0) {
    logger.warn(recovered, 'jobs were running when the agent last stopped');
  }
  journal.prune(timers.now());

  let client: TunnelClient | undefined;
  let runner: JobRunner | undefined;
  const metrics = createAgentMetrics(() => {
    const link = client?.status();
    const jobs = runner?.stats();
    return {
      rttMs: link?.rttMs,
      clockOffsetMs: link?.clockOffsetMs,
      runningJobs: jobs?.running ?? 0,
      queuedJobs: jobs?.queued ?? 0,
    };
  });
  const registry = options.handlers ?? new JobHandlerRegistry();
  const jobs = new JobRunner({
    registry,
    journal,
    identity: () => identity.current(),
    readOnly,
    timers,
    logger: componentLogger(logger, 'jobs'),
    maxConcurrentJobs: options.maxConcurrentJobs ?? 32,
    // Kinds the cloud names but this agent lacks are one label, so labels stay few.
    onFinished: (kind, outcome) =>
      metrics.jobs.inc({
        kind: registry.get(kind) === undefined ? 'unknown' : kind,
        outcome: outcome.ok ? 'ok' : outcome.error.code,
      }),
  });
  runner = jobs;

  const linkHandlers = (link: TunnelLink): FrameHandler<CloudFrame>[] => [
    jobs.handlerFor(link),
    new KeyRotator(link, {
      connectionId: link.connectionId ?? '',
      identity,
      logger: componentLogger(logger, 'rotation'),
    }),
    new HttpForwarder(link, {
      agentId,
      tenantId,
      cloudSigningPublicKey,
      logger: componentLogger(logger, 'http'),
      ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
    }),
  ];
  const tunnel = new TunnelClient({
    identity,
    readOnly,
    timers,
    parameters: { ...defaultTunnelParameters, ...options.tunnel },
    logger: componentLogger(logger, 'tunnel'),
    metrics,
    caFile: options.caFile,
    env: options.env ?? process.env,
    handlers: linkHandlers,
  });
  client = tunnel;

  const status = (): AgentStatus =>
    statusOf(tunnel, jobs, timers, { agentId, tenantSlug, readOnly });
  let health: HealthServer | undefined;
  if (options.healthPort !== false) {
    health = await startHealthServer({
      host: options.healthHost ?? '127.0.0.1',
      port: options.healthPort ?? 9465,
      status,
      registry: metrics.registry,
    }).catch((error: unknown) => {
      journal.close();
      throw error;
    });
  }

  let pruneTimer: TimerHandle | undefined;
  const schedulePrune = () => {
    pruneTimer = timers.setTimeout(() => {
      const pruned = journal.prune(timers.now());
      if (pruned > 0) logger.info({ pruned }, 'pruned finished jobs older than 7 days');
      schedulePrune();
    }, dayMs);
  };
  schedulePrune();

  logger.info(
    {
      readOnly,
      cloudUrl: identity.current().cloudUrl,
      health: health && `${health.host}:${health.port}`,
    },
    'agent starting',
  );
  tunnel.start();

  let stopped: Promise<void> | undefined;
  const stop = async () => {
    logger.info('agent stopping');
    if (pruneTimer !== undefined) timers.clearTimeout(pruneTimer);
    await jobs.drain(options.stopGraceMs ?? 30_000);
    await tunnel.stop();
    journal.close();
    await health?.close();
    logger.info('agent stopped');
  };
  return {
    agentId,
    health: health && { host: health.host, port: health.port },
    status,
    whenConnected: () => tunnel.whenConnected(),
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

function statusOf(
  tunnel: TunnelClient,
  jobs: JobRunner,
  timers: AgentTimers,
  fixed: { agentId: string; tenantSlug: string; readOnly: boolean },
): AgentStatus {
  const now = timers.now();
  const link = tunnel.status();
  const stats = jobs.stats();
  const ago = (atMs: number | undefined) => (atMs === undefined ? null : Math.max(0, now - atMs));
  return {
    ...fixed,
    connected: link.phase === 'connected',
    linkPhase: link.phase,
    connectedForMs: ago(link.connectedSinceMs),
    rttMs: link.rttMs ?? null,
    lastPongAgoMs: ago(link.lastPongAtMs),
    clockOffsetMs: link.clockOffsetMs ?? null,
    queuedJobs: stats.queued,
    runningJobs: stats.running,
    oldestUnackedJobAgeMs: ago(stats.oldestReceivedAtMs),
    reconnects: link.reconnects,
    lastDisconnect:
      link.lastEnd === undefined
        ? null
        : {
            reason: link.lastEnd.reason ?? link.lastEnd.closedBy,
            detail: link.lastEnd.detail,
            agoMs: Math.max(0, now - link.lastEnd.atMs),
          },
    nextAttemptInMs:
      link.nextAttemptAtMs === undefined ? null : Math.max(0, link.nextAttemptAtMs - now),
  };
}

/** Says so when the private key could be read by others, or the tunnel would cross in clear. */
function warnAboutExposure(stateDir: string, cloudUrl: string, logger: Logger): void {
  const path = identityPath(stateDir);
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    logger.warn(
      { path, mode: mode.toString(8) },
      'the identity file (it holds the private key) is readable by other users; chmod 600 it',
    );
  }
  const { protocol, hostname } = new URL(cloudUrl);
  const loopback = hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
  if (protocol === 'http:' && !loopback) {
    logger.warn(
      { cloudUrl },
      'the cloud URL is http://: the tunnel is not encrypted; enroll with an https:// URL',
    );
  }
}
