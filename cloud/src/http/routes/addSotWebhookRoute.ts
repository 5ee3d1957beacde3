import type { Hono } from 'hono';
import { receiveWebhook } from '../../sot/receiveWebhook.ts';
import type { SotDeps } from '../../sot/SotDeps.ts';
import type { AppEnv } from '../AppEnv.ts';

export const sotWebhookPath = '/api/v1/sot/webhooks/:webhookSlug';

/**
 * Nautobot's deliveries. Outside tenants and without a session or token: the URL's slug names
 * the integration and the HMAC signature proves the sender. The `/api/*` middleware lets it
 * pass (no credential means no principal, and CSRF applies to session cookies only), and the
 * body limit there answers 413 before this reads anything.
 */
export function addSotWebhookRoute(app: Hono<AppEnv>, deps: SotDeps): void {
  app.post(sotWebhookPath, async (c) => {
    const slug = c.req.param('webhookSlug');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const answer = await receiveWebhook(deps, slug, raw, c.req.header('x-hook-signature'));
    return c.json(answer.body, answer.status);
  });
}
