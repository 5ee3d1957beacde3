import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cliActor } from '../testing/createTestCloud.ts';
import { createSotTestBed, type SotTestBed } from './testing/createSotTestBed.ts';
import { type Delivery, readRecording } from './testing/Recording.ts';
import { verifyHookSignature } from './verifyHookSignature.ts';

const recording = readRecording('webhooks.json');
const deliveries = recording.deliveries ?? [];

function delivery(label: string): Delivery {
  const found = deliveries.find((d) => d.label === label);
  if (!found) throw new Error(`no recorded delivery "${label}"`);
  return found;
}

/** A synced integration whose webhook URL and secret the test knows. */
async function syncedBed(): Promise<SotTestBed & { url: string; secret: string }> {
  const bed = await createSotTestBed();
  await bed.runner.start(bed.tenant.tenantId, bed.integration.id, {
    mode: 'full',
    trigger: 'manual',
    actor: cliActor,
  });
  await bed.runner.idle();
  const secret = await bed.sot.openWebhookSecret(bed.integration.id, bed.cloud.sealer);
  return { ...bed, url: `/api/v1/sot/webhooks/${bed.integration.webhookSlug}`, secret };
}

/** Posts a recorded body as Nautobot would, signed with `secret` (or not at all). */
function post(bed: SotTestBed & { url: string }, body: string, signature?: string) {
  return bed.cloud.app.request(bed.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature !== undefined && { 'x-hook-signature': signature }),
    },
    body,
  });
}

const sign = (secret: string, body: string) =>
  createHmac('sha512', secret).update(body).digest('hex');

function deviceIdOf(d: Delivery): string {
  return (JSON.parse(d.body) as { data: { id: string } }).data.id;
}

async function deviceRow(bed: SotTestBed, id: string) {
  return bed.sot.getMirrorRow(bed.integration.id, 'devices', id);
}

describe("the signature check (Nautobot's own deliveries)", () => {
  it('accepts every recorded delivery with the secret it was sent with', () => {
    expect(deliveries.length).toBeGreaterThanOrEqual(6);
    for (const d of deliveries) {
      const secret = recording.webhookSecret ?? '';
      expect(verifyHookSignature(secret, Buffer.from(d.body), d.signature)).toBe(true);
    }
  });

  it('refuses a missing, malformed or wrong signature, and one over a changed body', () => {
    const d = delivery('device updated (serial RECORDED-1)');
    const secret = recording.webhookSecret ?? '';
    const body = Buffer.from(d.body);
    expect(verifyHookSignature(secret, body, undefined)).toBe(false);
    expect(verifyHookSignature(secret, body, 'not hex')).toBe(false);
    expect(verifyHookSignature('another secret', body, d.signature)).toBe(false);
    const changed = Buffer.from(d.body.replace('RECORDED-1', 'RECORDED-2'));
    expect(verifyHookSignature(secret, changed, d.signature)).toBe(false);
  });
});

describe('POST /api/v1/sot/webhooks/:slug', () => {
  it('answers 401 to a missing or wrong signature and changes nothing', async () => {
    const bed = await syncedBed();
    const d = delivery('device updated (serial RECORDED-1)');
    const before = await deviceRow(bed, deviceIdOf(d));

    const missing = await post(bed, d.body);
    const wrong = await post(bed, d.body, sign('not the secret', d.body));
    const nautobots = await post(bed, d.body, d.signature);

    for (const response of [missing, wrong, nautobots]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    expect(await deviceRow(bed, deviceIdOf(d))).toEqual(before);
  });

  it('applies a signed update to the mirror, needing no session or API token', async () => {
    const bed = await syncedBed();
    const d = delivery('device updated (serial RECORDED-1)');

    const response = await post(bed, d.body, sign(bed.secret, d.body));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: 'applied' });
    expect(await deviceRow(bed, deviceIdOf(d))).toMatchObject({ serial: 'RECORDED-1' });
  });

  it('is idempotent: the same delivery twice changes the mirror once', async () => {
    const bed = await syncedBed();
    const d = delivery('device updated (serial RECORDED-1)');
    await post(bed, d.body, sign(bed.secret, d.body));
    const once = await deviceRow(bed, deviceIdOf(d));

    const again = await post(bed, d.body, sign(bed.secret, d.body));

    expect(await again.json()).toEqual({ result: 'stale' });
    expect(await deviceRow(bed, deviceIdOf(d))).toEqual(once);
  });

  it('never lets an older event overwrite newer data', async () => {
    const bed = await syncedBed();
    const older = delivery('device updated (serial RECORDED-1)');
    const newer = delivery('device updated (serial restored)');

    await post(bed, newer.body, sign(bed.secret, newer.body));
    const late = await post(bed, older.body, sign(bed.secret, older.body));

    expect(await late.json()).toEqual({ result: 'stale' });
    const restored = JSON.parse(newer.body) as { data: { serial: string } };
    expect(await deviceRow(bed, deviceIdOf(newer))).toMatchObject({
      serial: restored.data.serial,
    });
  });

  it('adds a created device, removes it on delete; a late create does not revive it', async () => {
    const bed = await syncedBed();
    const created = delivery('device created (temporary)');
    const deleted = delivery('device deleted (temporary)');
    const id = deviceIdOf(created);

    await post(bed, created.body, sign(bed.secret, created.body));
    const added = await deviceRow(bed, id);
    expect(added).toMatchObject({ hostname: expect.stringMatching(/^recorder-temp-/) });
    expect(added?.vendor).not.toBeNull();

    await post(bed, deleted.body, sign(bed.secret, deleted.body));
    expect(await deviceRow(bed, id)).toBeUndefined();

    const late = await post(bed, created.body, sign(bed.secret, created.body));
    expect(await late.json()).toEqual({ result: 'stale' });
    expect(await deviceRow(bed, id)).toBeUndefined();
  });

  it("applies an interface update with its addresses from the event's data", async () => {
    const bed = await syncedBed();
    const d = delivery('interface updated (description recorded)');
    const id = (JSON.parse(d.body) as { data: { id: string } }).data.id;
    const before = await bed.sot.listMirror(bed.integration.id, 'interfaceIps', {
      limit: 1000,
      offset: 0,
    });

    await post(bed, d.body, sign(bed.secret, d.body));

    expect(await bed.sot.getMirrorRow(bed.integration.id, 'interfaces', id)).toMatchObject({
      description: 'recorded',
    });
    const after = await bed.sot.listMirror(bed.integration.id, 'interfaceIps', {
      limit: 1000,
      offset: 0,
    });
    expect(after).toEqual(before);
  });

  it('acknowledges a model it does not mirror and changes nothing', async () => {
    const bed = await syncedBed();
    const d = delivery('manufacturer created');
    const body = d.body.replace('"model": "manufacturer"', '"model": "cable"');
    expect(body).not.toBe(d.body);
    const counts = await bed.sot.mirrorCounts(bed.integration.id);

    const response = await post(bed, body, sign(bed.secret, body));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: 'ignored: cable is not mirrored' });
    expect(await bed.sot.mirrorCounts(bed.integration.id)).toEqual(counts);
  });

  it('answers 413 to a body over the limit, and 404 to an unknown slug', async () => {
    const bed = await syncedBed();
    const big = ' '.repeat(70 * 1024) + delivery('manufacturer created').body;

    const tooLarge = await post(bed, big, sign(bed.secret, big));
    const unknown = await bed.cloud.app.request('/api/v1/sot/webhooks/no-such-slug', {
      method: 'POST',
      body: '{}',
    });

    expect(tooLarge.status).toBe(413);
    expect(unknown.status).toBe(404);
  });

  it('acknowledges but does not apply a signed delivery for a disabled integration', async () => {
    const bed = await syncedBed();
    await bed.sot.updateIntegration(
      bed.integration.id,
      { enabled: false },
      bed.cloud.sealer,
      cliActor,
    );
    const d = delivery('device updated (serial RECORDED-1)');
    const before = await deviceRow(bed, deviceIdOf(d));

    const response = await post(bed, d.body, sign(bed.secret, d.body));

    expect(await response.json()).toEqual({ result: 'ignored: integration disabled' });
    expect(await deviceRow(bed, deviceIdOf(d))).toEqual(before);
  });

  it("changes only the mirror of the integration the URL names, not another tenant's", async () => {
    const bed = await syncedBed();
    const other = await createSotTestBed('readWrite.json', { cloud: bed.cloud, slug: 'other' });
    await other.runner.start(other.tenant.tenantId, other.integration.id, {
      mode: 'full',
      trigger: 'manual',
      actor: cliActor,
    });
    await other.runner.idle();
    const d = delivery('device updated (serial RECORDED-1)');

    await post(bed, d.body, sign(bed.secret, d.body));

    expect(await deviceRow(bed, deviceIdOf(d))).toMatchObject({ serial: 'RECORDED-1' });
    expect(await deviceRow(other, deviceIdOf(d))).not.toMatchObject({ serial: 'RECORDED-1' });
  });
});
