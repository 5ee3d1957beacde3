import type { ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, type Namespace } from '../lab/netns.js';
import { type LabState, readLabState } from '../lab/state.js';
import { nautobot } from './sot-harness.ts';

/**
 * Proves the lab can do what webhook tests need: Nautobot's Celery worker delivers a signed
 * webhook to a receiver inside a network namespace the test made (Nautobot refuses loopback).
 */
const recorder = fileURLToPath(new URL('../lab/receivers/httpRecorder.mjs', import.meta.url));
const secret = randomBytes(16).toString('hex');
const suffix = randomBytes(4).toString('hex');

interface Recorded {
  headers: Record<string, string>;
  body: string;
}

let lab: LabState;
let namespace: Namespace;
let receiver: ChildProcess;
let webhookId: string | undefined;
const received: Recorded[] = [];
const waiters: Array<() => void> = [];

/** Waits until the receiver has recorded a request that `match` accepts. */
function nextRequest(match: (event: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
  return new Promise<Recorded>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching webhook within 30 s')), timeoutMs);
    const check = () => {
      const found = received.find((request) => match(JSON.parse(request.body)));
      if (found === undefined) return false;
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    if (!check()) waiters.push(() => void check());
  });
}

beforeAll(async () => {
  lab = readLabState();
  namespace = await createNamespace();
  receiver = namespace.spawnIn('node', [recorder, namespace.namespaceAddress, '8080']);
  const lines = createInterface({ input: receiver.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      const record = JSON.parse(line) as Recorded & { listening?: string };
      if (record.listening !== undefined) return resolve();
      received.push(record);
      for (const wake of waiters.splice(0)) wake();
    });
  });

  const webhook = await nautobot(lab, 'POST', '/api/extras/webhooks/', {
    name: `lab webhook test ${suffix}`,
    content_types: ['dcim.manufacturer'],
    type_create: true,
    type_delete: true,
    payload_url: `http://${namespace.namespaceAddress}:8080/hook`,
    http_method: 'POST',
    http_content_type: 'application/json',
    secret,
    ssl_verification: false,
    enabled: true,
  });
  webhookId = webhook?.id;
});

afterAll(async () => {
  if (webhookId !== undefined) await nautobot(lab, 'DELETE', `/api/extras/webhooks/${webhookId}/`);
  receiver?.kill();
  await namespace?.remove();
});

describe('webhooks from the lab Nautobot', () => {
  it('delivers a created and a deleted event, signed with HMAC-SHA512 over the raw body', async () => {
    const name = `Webhook Probe ${suffix}`;
    const manufacturer = await nautobot(lab, 'POST', '/api/dcim/manufacturers/', { name });
    const created = await nextRequest((e) => e.event === 'created' && hasName(e, name));

    await nautobot(lab, 'DELETE', `/api/dcim/manufacturers/${manufacturer?.id}/`);
    const deleted = await nextRequest((e) => e.event === 'deleted' && hasName(e, name));

    for (const request of [created, deleted]) {
      const expected = createHmac('sha512', secret).update(request.body).digest('hex');
      expect(request.headers['x-hook-signature']).toBe(expected);
      expect(JSON.parse(request.body)).toMatchObject({ model: 'manufacturer' });
    }
  });
});

function hasName(event: Record<string, unknown>, name: string): boolean {
  return (event.data as { name?: string } | undefined)?.name === name;
}
