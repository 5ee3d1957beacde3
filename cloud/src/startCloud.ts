import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { componentLogger, type Logger } from '@plumbline/log';
import type { CloudConfig } from './config/CloudConfig.ts';
import { createApp } from './http/createApp.ts';
import { createMetrics } from './metrics/createMetrics.ts';
import { Store } from './store/Store.ts';

export interface RunningCloud {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
  store: Store;
  /**
   * Graceful stop: `/readyz` turns 503, the listener closes, requests in flight finish (up to
   * the grace period, after which their connections are cut), then the store closes.
   */
  stop(): Promise<void>;
}

/** Opens the store (migrating it), builds the app and listens. */
export async function startCloud(config: CloudConfig, logger: Logger): Promise<RunningCloud> {
  const log = componentLogger(logger, 'http');
  const store = Store.open({ dataDir: config.dataDir });
  let accepting = true;
  const { app } = createApp({
    store,
    logger: log,
    metrics: createMetrics(),
    maxBodyBytes: config.maxBodyBytes,
    session: { ttlMs: config.sessionTtlMs, secureCookies: config.secureCookies },
    accepting: () => accepting,
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  logger.info({ url, dataDir: config.dataDir }, 'cloud listening');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      accepting = false;
      logger.info({ graceMs: config.shutdownGraceMs }, 'cloud stopping: draining requests');
      await closeServer(server, config.shutdownGraceMs);
      await store.close();
      logger.info('cloud stopped');
    })();
    return stopping;
  };
  return { url, store, stop };
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
