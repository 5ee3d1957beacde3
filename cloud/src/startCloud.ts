import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { componentLogger, type Logger } from '@plumbline/log';
import { type CloudConfig, ConfigError } from './config/CloudConfig.ts';
import { openConfiguredSealer } from './config/openConfiguredSealer.ts';
import { openConfiguredStore } from './config/openConfiguredStore.ts';
import { createApp } from './http/createApp.ts';
import { createMetrics } from './metrics/createMetrics.ts';
import type { SotOptions } from './sot/createSot.ts';
import { httpTargetsForAgent } from './sot/httpTargetsForAgent.ts';
import { SotScheduler } from './sot/SotScheduler.ts';
import type { Store } from './store/Store.ts';
import { TunnelHub, type TunnelHubOptions } from './tunnel/TunnelHub.ts';

export interface RunningCloud {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
  store: Store;
  /** The tunnel: agents' connections, jobs, HTTP through agents. */
  hub: TunnelHub;
  /**
   * Graceful stop: `/readyz` turns 503, the listener closes, requests in flight finish (up to
   * the grace period, after which their connections are cut), then the store closes.
   */
  stop(): Promise<void>;
}

export interface StartCloudOptions {
  /** Tunnel timing, clock, HTTP targets and job kinds; tests and embedders set these. */
  tunnel?: Omit<TunnelHubOptions, 'agents' | 'sealer' | 'logger' | 'metricsRegistry'>;
  /** Nautobot integrations: fetch through agents (default: refused), client settings. */
  sot?: SotOptions;
}

/**
 * Opens the store (migrating it), builds the app and listens. A data directory or an address
 * that cannot be used rejects with a `ConfigError` naming the setting.
 */
export async function startCloud(
  config: CloudConfig,
  logger: Logger,
  options: StartCloudOptions = {},
): Promise<RunningCloud> {
  const log = componentLogger(logger, 'http');
  const store = openConfiguredStore(config);
  const sealer = openConfiguredSealer(config);
  const metrics = createMetrics();
  const hub = new TunnelHub({
    now: store.now,
    httpTargets: (tenantId, agentId) => httpTargetsForAgent(store, tenantId, agentId),
    ...options.tunnel,
    settings: { ...config.tunnel, ...options.tunnel?.settings },
    agents: store.agents(),
    sealer,
    logger: componentLogger(logger, 'tunnel'),
    metricsRegistry: metrics.registry,
  });
  let accepting = true;
  const { app, sot } = createApp({
    store,
    sealer,
    hub,
    sot: {
      publicUrl: config.publicUrl,
      fetchViaAgent: (tenantId, agentId) => hub.fetchVia(tenantId, agentId),
      ...options.sot,
    },
    logger: log,
    metrics,
    maxBodyBytes: config.maxBodyBytes,
    session: { ttlMs: config.sessionTtlMs, secureCookies: config.secureCookies },
    accepting: () => accepting,
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  try {
    await listen(server, config);
    await hub.attach(server);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  logger.info({ url, dataDir: config.dataDir }, 'cloud listening');
  const interrupted = await store.sotDirectory().failInterruptedRuns();
  if (interrupted > 0) logger.warn({ runs: interrupted }, 'sync runs left by a stop marked failed');
  const scheduler = new SotScheduler({ store, runner: sot.runner, logger: sot.deps.logger });
  scheduler.start();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      accepting = false;
      logger.info({ graceMs: config.shutdownGraceMs }, 'cloud stopping: draining requests');
      // Agents hear goaway and are closed first: their sockets would keep the server open.
      await hub.drain();
      await scheduler.stop();
      await sot.runner.stop();
      await closeServer(server, config.shutdownGraceMs);
      await store.close();
      logger.info('cloud stopped');
    })();
    return stopping;
  };
  return { url, store, hub, stop };
}

function listen(server: Server, config: CloudConfig): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      const message =
        `PLUMBLINE_HOST=${JSON.stringify(config.host)} PLUMBLINE_PORT=${config.port}: ` +
        `cannot listen on ${where} (${error.code ?? error.message}); ` +
        'choose a free port and an address of this machine';
      reject(new ConfigError(message, { cause: error }));
    });
    server.listen(config.port, config.host, () => resolve());
  });
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
