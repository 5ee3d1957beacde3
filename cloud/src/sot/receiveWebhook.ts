import { describeZodError } from '../errors/describeZodError.ts';
import { mapWebhookEvent } from './mapWebhookEvent.ts';
import type { SotDeps } from './SotDeps.ts';
import { verifyHookSignature } from './verifyHookSignature.ts';
import { webhookEventSchema } from './webhookEventSchema.ts';

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: { result: string } | { error: { code: string; message: string } };
}

const error = (status: 400 | 401 | 404, code: string, message: string): WebhookAnswer => ({
  status,
  body: { error: { code, message } },
});

/**
 * One delivery from Nautobot. The signature is checked over the raw bytes before anything is
 * parsed; a missing or wrong one changes nothing and is logged without the body. Then the body
 * is parsed and applied: idempotently, and an event older than the mirror's data is dropped.
 */
export async function receiveWebhook(
  deps: SotDeps,
  slug: string,
  rawBody: Uint8Array,
  signature: string | undefined,
): Promise<WebhookAnswer> {
  const found = await deps.store.sotDirectory().findByWebhookSlug(slug);
  if (!found) return error(404, 'not_found', 'no integration has this webhook URL');
  const { tenantId, integrationId } = found;
  const log = deps.logger.child({ tenantId, integrationId });
  const sot = deps.store.tenant(tenantId).sot();

  const secret = await sot.openWebhookSecret(integrationId, deps.sealer);
  if (!verifyHookSignature(secret, rawBody, signature)) {
    // Shortcoming: refusals are counted only in this log line; no Prometheus counter yet
    // (the service's metrics registry has none for webhooks), so alerting must read logs.
    log.warn(
      { signature: signature === undefined ? 'missing' : 'wrong', bytes: rawBody.length },
      'webhook refused: X-Hook-Signature missing or wrong',
    );
    return error(
      401,
      'unauthenticated',
      'X-Hook-Signature is missing or wrong: expected the hex HMAC-SHA512 of the body keyed ' +
        "with this integration's webhook secret; copy the secret into the Nautobot webhook again",
    );
  }
  if (!found.enabled) return { status: 200, body: { result: 'ignored: integration disabled' } };

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    return error(400, 'invalid_json', 'the webhook body is not JSON');
  }
  const parsed = webhookEventSchema.safeParse(json);
  if (!parsed.success) {
    return error(400, 'bad_request', describeZodError(parsed.error, 'body'));
  }
  const event = parsed.data;
  const [lookups, tags] = await Promise.all([
    sot.lookups(integrationId),
    sot.listMirror(integrationId, 'tags', { limit: 100_000, offset: 0 }),
  ]);
  let effect: ReturnType<typeof mapWebhookEvent>;
  try {
    effect = mapWebhookEvent(event, { lookups, tags });
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message.slice(0, 500) : 'unexpected data';
    log.warn({ model: event.model, event: event.event }, 'webhook data not understood');
    return error(
      400,
      'bad_request',
      `the ${event.model} in this event is not as expected: ${message}`,
    );
  }
  if (effect.kind === 'ignored') {
    return { status: 200, body: { result: `ignored: ${event.model} is not mirrored` } };
  }
  const result = await sot.applyWebhookEvent(integrationId, effect.event);
  log.info(
    { model: event.model, event: event.event, objectId: event.data.id, result },
    'webhook applied',
  );
  return { status: 200, body: { result } };
}
