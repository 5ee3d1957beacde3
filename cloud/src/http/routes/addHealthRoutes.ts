import type { Hono } from 'hono';
import type { CloudMetrics } from '../../metrics/createMetrics.ts';
import type { Store } from '../../store/Store.ts';
import type { AppEnv } from '../AppEnv.ts';

/**
 * Liveness, readiness and Prometheus metrics. None needs a credential and none shows tenant
 * data; put them behind the network's own controls if they must not be public.
 */
export function addHealthRoutes(
  app: Hono<AppEnv>,
  deps: { store: Store; metrics: CloudMetrics; accepting: () => boolean },
): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    if (!deps.accepting()) return c.json({ status: 'draining' }, 503);
    try {
      await deps.store.ping();
    } catch {
      return c.json({ status: 'store unavailable' }, 503);
    }
    return c.json({ status: 'ready' });
  });

  app.get('/metrics', async (c) => {
    const text = await deps.metrics.registry.metrics();
    return c.text(text, 200, { 'content-type': deps.metrics.registry.contentType });
  });
}
