import { isNautobotError, webhookSchema } from '@plumbline/nautobot';
import { z } from 'zod';
import type { Actor } from '../store/records.ts';
import { openNautobotClient } from './openNautobotClient.ts';
import type { SotDeps } from './SotDeps.ts';

/**
 * The object types the mirror follows that Nautobot sends webhooks for. Tags and platforms
 * have no webhook feature in Nautobot 3.2 (it refuses them as content types, checked against
 * the lab's /api/extras/content-types/?feature=webhooks): a renamed tag or platform reaches
 * the mirror at the next scheduled run, which sees the changed names and reads everything.
 */
export const webhookContentTypes = [
  'dcim.location',
  'dcim.device',
  'dcim.interface',
  'ipam.ipaddress',
  'ipam.prefix',
  'extras.customfield',
  'dcim.manufacturer',
  'dcim.devicetype',
  'extras.role',
  'extras.status',
  'dcim.locationtype',
  'ipam.namespace',
];

export function webhookUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/sot/webhooks/${slug}`;
}

export type RegisterOutcome =
  | { registered: true; webhookId: string; created: boolean; url: string }
  | { registered: false; code: string; message: string; url: string };

const listAnswer = z.object({ results: z.array(webhookSchema).max(1000) });

/**
 * Creates (or updates) the webhook in the customer's Nautobot that points at this integration:
 * the mirrored content types, created/updated/deleted, our URL and secret. Nautobot refuses
 * loopback and reserved addresses as targets (an SSRF guard), so the public URL must be one
 * Nautobot may call; its refusal comes back as the outcome's message.
 */
export async function registerWebhook(
  deps: SotDeps,
  tenantId: string,
  integrationId: string,
  actor: Actor,
): Promise<RegisterOutcome> {
  const sot = deps.store.tenant(tenantId).sot();
  const integration = await sot.getIntegration(integrationId);
  const url = webhookUrl(deps.publicUrl, integration.webhookSlug);
  const name = `plumbline ${integration.webhookSlug.slice(0, 8)}`;
  try {
    const client = await openNautobotClient(deps, integration);
    const body = {
      name,
      content_types: webhookContentTypes,
      type_create: true,
      type_update: true,
      type_delete: true,
      payload_url: url,
      http_method: 'POST',
      http_content_type: 'application/json',
      secret: await sot.openWebhookSecret(integrationId, deps.sealer),
      ssl_verification: true,
      enabled: true,
    };
    const existing = listAnswer.parse(
      await client.request('GET', '/api/extras/webhooks/', { query: { name } }),
    ).results[0];
    const saved = webhookSchema.parse(
      existing
        ? await client.request('PATCH', `/api/extras/webhooks/${existing.id}/`, { body })
        : await client.request('POST', '/api/extras/webhooks/', { body }),
    );
    const created = existing === undefined;
    await sot.recordWebhookRegistration(integrationId, { webhookId: saved.id, created }, actor);
    deps.logger.info(
      { tenantId, integrationId, webhookId: saved.id, created },
      'webhook registered',
    );
    return { registered: true, webhookId: saved.id, created, url };
  } catch (error) {
    if (!isNautobotError(error)) throw error;
    await sot.recordWebhookRegistration(integrationId, { refusedWith: error.code }, actor);
    deps.logger.warn({ tenantId, integrationId, code: error.code }, 'webhook registration refused');
    return { registered: false, code: error.code, message: error.message, url };
  }
}
