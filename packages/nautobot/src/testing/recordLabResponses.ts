/**
 * Records the lab Nautobot's answers that the unit tests replay, into ./recorded/. Run it with
 * the lab up (test/lab/lab start):
 *
 *   pnpm exec tsx packages/nautobot/src/testing/recordLabResponses.ts
 *
 * It sends raw requests (not through the client under test) and saves status, the headers the
 * client reads, and the JSON body. It creates one disabled webhook so that the webhook model
 * has a real row, and one already expired token of the admin's, and deletes both again; the
 * webhook's secret is a placeholder, not a real one.
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabState } from '../../../../test/lab/state.ts';
import { requestedApiVersion } from '../apiVersion.ts';
import { resourceNames, resources } from '../resources.ts';
import type { RecordedExchange } from './RecordedExchange.ts';

const lab = readLabState();
const outDir = join(import.meta.dirname, 'recorded');
const recordedFrom =
  `Nautobot ${lab.nautobot.version} of the plumbline lab ` + `(${lab.seed.devices} devices)`;
const pinned = `application/json; version=${requestedApiVersion}`;
const keptHeaders = ['api-version', 'content-type', 'retry-after'];

interface Call {
  method?: string;
  path: string;
  query?: Record<string, string>;
  token?: string;
  /** A whole Authorization header, instead of the token. */
  authorization?: string;
  accept?: string;
  body?: unknown;
}

async function exchange(call: Call): Promise<RecordedExchange> {
  const method = call.method ?? 'GET';
  const query = call.query ?? {};
  const accept = call.accept ?? pinned;
  const url = new URL(call.path, lab.nautobot.url);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, {
    method,
    headers: {
      Authorization: call.authorization ?? `Token ${call.token ?? lab.nautobot.tokens.readWrite}`,
      Accept: accept,
      ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Kept as text: an HTML page, for instance.
  }
  const headers = Object.fromEntries(
    keptHeaders.flatMap((name) => {
      const value = response.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );
  return {
    recordedFrom,
    request: { method, path: call.path, query, accept },
    response: { status: response.status, headers, body },
  };
}

function save(name: string, recorded: RecordedExchange): void {
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const webhook = await exchange({
    method: 'POST',
    path: resources.webhooks.path,
    body: {
      name: 'plumbline recording (disabled)',
      content_types: ['dcim.device'],
      type_create: true,
      type_update: true,
      payload_url: 'http://plumbline-recording.invalid/hook',
      enabled: false,
      secret: 'placeholder-not-a-secret',
    },
  });
  save('webhook-created', webhook);
  const webhookId = (webhook.response.body as { id: string }).id;

  try {
    for (const name of resourceNames) {
      const query = { limit: '0', offset: '0', depth: '0' };
      save(`list-${name}`, await exchange({ path: resources[name].path, query }));
    }
  } finally {
    await exchange({ method: 'DELETE', path: `${resources.webhooks.path}${webhookId}/` });
  }

  for (const offset of [0, 5, 10]) {
    const query = { limit: '5', offset: String(offset), depth: '0' };
    save(`devices-limit5-offset${offset}`, await exchange({ path: resources.devices.path, query }));
  }
  save(
    'probe-devices',
    await exchange({
      path: resources.devices.path,
      query: { limit: '1' },
      accept: 'application/json',
    }),
  );
  save('probe-status', await exchange({ path: '/api/status/' }));
  save(
    'error-invalid-token',
    await exchange({ path: resources.devices.path, query: { limit: '1' }, token: 'f'.repeat(40) }),
  );
  save(
    'error-permission-interfaces',
    await exchange({
      path: resources.interfaces.path,
      query: { limit: '1' },
      token: lab.nautobot.tokens.devicesOnly,
    }),
  );
  save(
    'error-read-only-token-write',
    await exchange({
      method: 'POST',
      path: resources.tags.path,
      token: lab.nautobot.tokens.readOnly,
      body: { name: 'plumbline-recording-refused', content_types: ['dcim.device'] },
    }),
  );
  save(
    'error-unknown-filter',
    await exchange({ path: resources.interfaces.path, query: { last_updated__gte: '2020-01-01' } }),
  );
  save(
    'error-device-not-found',
    await exchange({ path: `${resources.devices.path}00000000-0000-0000-0000-000000000000/` }),
  );
  save(
    'error-version-refused',
    await exchange({
      path: resources.devices.path,
      query: { limit: '1' },
      accept: 'application/json; version=1.3',
    }),
  );
  await recordExpiredToken();
  save('error-unknown-path', await exchange({ path: '/api/dcim/no-such-endpoint/' }));
}

/** Nautobot lets a token be made with `expires` in the past, which is the quickest way. */
async function recordExpiredToken(): Promise<void> {
  const basic = Buffer.from(`${lab.nautobot.adminUsername}:${lab.nautobot.adminPassword}`);
  const authorization = `Basic ${basic.toString('base64')}`;
  const key = randomBytes(20).toString('hex');
  const created = await exchange({
    method: 'POST',
    path: '/api/users/tokens/',
    authorization,
    body: { key, expires: '2020-01-01T00:00:00Z', description: 'plumbline recording (expired)' },
  });
  const id = (created.response.body as { id: string }).id;
  try {
    const query = { limit: '1' };
    save(
      'error-token-expired',
      await exchange({ path: resources.devices.path, query, token: key }),
    );
  } finally {
    await exchange({ method: 'DELETE', path: `/api/users/tokens/${id}/`, authorization });
  }
}

await main();
