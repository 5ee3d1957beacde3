import { randomUUID } from 'node:crypto';
import type { Logger } from '@plumbline/log';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { AppError, toAppError } from '../errors/AppError.ts';
import type { CloudMetrics } from '../metrics/createMetrics.ts';
import type { Sealer } from '../secrets/Sealer.ts';
import { createSot, type SotOptions } from '../sot/createSot.ts';
import type { Store } from '../store/Store.ts';
import { withoutQueryParams } from '../store/withoutQueryParams.ts';
import { TunnelHub } from '../tunnel/TunnelHub.ts';
import type { AppEnv } from './AppEnv.ts';
import { authenticate } from './authenticate.ts';
import { addAgentRoutes } from './routes/addAgentRoutes.ts';
import { addHealthRoutes } from './routes/addHealthRoutes.ts';
import { addSessionRoutes, type SessionSettings } from './routes/addSessionRoutes.ts';
import { addSotRoutes } from './routes/addSotRoutes.ts';
import { addSotWebhookRoute } from './routes/addSotWebhookRoute.ts';
import { addTenantRoutes } from './routes/addTenantRoutes.ts';
import { TenantRouter } from './TenantRouter.ts';
import { verifyCsrf } from './verifyCsrf.ts';

export interface AppOptions {
  store: Store;
  /** Seals and opens secrets kept in the store. */
  sealer: Sealer;
  logger: Logger;
  metrics: CloudMetrics;
  maxBodyBytes: number;
  session: Omit<SessionSettings, 'now'>;
  /** False while the service drains for shutdown, so `/readyz` turns away new traffic. */
  accepting: () => boolean;
  /** Nautobot integrations: fetch through agents, the public URL for webhooks. */
  sot?: SotOptions;
  /** The tunnel hub the agent routes act through; one on the store (not listening) if absent. */
  hub?: TunnelHub;
}

/** A caller's request id when it is a sane token, so logs can be joined across systems. */
function requestIdOf(header: string | undefined): string {
  return header !== undefined && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
}

/** The whole HTTP surface, without a listening socket: tests drive it with `app.request`. */
export function createApp(options: AppOptions): {
  app: Hono<AppEnv>;
  tenants: TenantRouter;
  hub: TunnelHub;
  sot: ReturnType<typeof createSot>;
} {
  const app = new Hono<AppEnv>();
  const { store, logger, metrics } = options;

  app.use(async (c, next) => {
    const requestId = requestIdOf(c.req.header('x-request-id'));
    const requestLogger = logger.child({ requestId });
    c.set('store', store);
    c.set('logger', requestLogger);
    const startedMs = performance.now();
    await next();

    c.header('x-request-id', requestId);
    // While draining, each answer closes its connection, so keep-alive clients move on.
    if (!options.accepting()) c.header('connection', 'close');
    const route = routePath(c, -1);
    const labels = { method: c.req.method, route: route === '*' ? 'unmatched' : route };
    const durationMs = performance.now() - startedMs;
    metrics.httpDurationSeconds.observe(labels, durationMs / 1000);
    metrics.httpRequests.inc({ ...labels, status: String(c.res.status) });
    requestLogger.info(
      {
        ...labels,
        status: c.res.status,
        durationMs: Math.round(durationMs * 10) / 10,
        tenant: c.var.tenant?.slug,
        userId: c.var.principal?.user.id,
      },
      'request',
    );
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) => {
        const message = `the body is larger than the limit of ${options.maxBodyBytes} bytes`;
        return c.json(new AppError('payload_too_large', message).toBody(), 413);
      },
    }),
  );
  app.use('/api/*', authenticate, verifyCsrf);

  addHealthRoutes(app, { store, metrics, accepting: options.accepting });
  addSessionRoutes(app, { ...options.session, now: store.now });
  const tenants = new TenantRouter(app);
  addTenantRoutes(tenants);
  const hub =
    options.hub ??
    new TunnelHub({ agents: store.agents(), sealer: options.sealer, logger, now: store.now });
  addAgentRoutes(app, tenants, hub);
  const sot = createSot(
    { store, sealer: options.sealer, logger },
    { onHttpTargetsChanged: (t, a) => hub.refreshHttpTargets(t, a), ...options.sot },
  );
  addSotRoutes(tenants, sot.deps, sot.runner);
  addSotWebhookRoute(app, sot.deps);

  app.notFound((c) => {
    const message = `no route for ${c.req.method} ${c.req.path}`;
    return c.json(new AppError('not_found', message).toBody(), 404);
  });
  app.onError((thrown, c) => {
    const error = toAppError(thrown);
    if (error.status >= 500) {
      const err = withoutQueryParams(thrown);
      logger.error({ err, method: c.req.method, path: c.req.path }, 'request failed');
    }
    return c.json(error.toBody(), error.status);
  });
  return { app, tenants, hub, sot };
}
