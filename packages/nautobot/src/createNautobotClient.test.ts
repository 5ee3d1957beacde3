import { describe, expect, it } from 'vitest';
import { createNautobotClient } from './createNautobotClient.ts';
import type { NautobotClientOptions } from './NautobotClient.ts';
import { isNautobotError, type NautobotError } from './NautobotError.ts';
import { pagingFetch } from './testing/pagingFetch.ts';
import { recorded, replayFetch } from './testing/replayFetch.ts';

const baseUrl = 'http://127.0.0.1:8480';
const token = '0123456789abcdef0123456789abcdef01234567';
const noSleep = async () => {};

function client(fetch: typeof globalThis.fetch, options: Partial<NautobotClientOptions> = {}) {
  return createNautobotClient({ baseUrl, token, fetch, sleep: noSleep, ...options });
}

async function failure(promise: Promise<unknown>): Promise<NautobotError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isNautobotError(error)) throw new Error(`expected a NautobotError, got ${String(error)}`);
  return error;
}

const recordedIds = (name: string) =>
  (recorded(name).response.body as { results: Array<{ id: string }> }).results.map((r) => r.id);

describe('listAll', () => {
  it('reads a collection in one request at the server maximum when it fits (limit=0)', async () => {
    const replay = replayFetch([recorded('list-interfaces')]);

    const rows = await client(replay.fetch).listAll('interfaces');

    expect(rows.map((row) => row.id)).toEqual(recordedIds('list-interfaces'));
    expect(replay.sent.map((request) => request.query)).toEqual([
      { limit: '0', offset: '0', depth: '0' },
    ]);
  });

  it('asks for the remaining offsets at the page size the first page revealed', async () => {
    const replay = replayFetch(
      [0, 5, 10].map((offset) => recorded(`devices-limit5-offset${offset}`)),
    );
    const progress: Array<[number, number]> = [];

    const rows = await client(replay.fetch, { pageSize: 5 }).listAll('devices', {
      onPage: (fetched, total) => progress.push([fetched, total]),
    });

    expect(rows.map((row) => row.id)).toEqual(recordedIds('list-devices'));
    expect(replay.sent.map((request) => request.query.offset)).toEqual(['0', '5', '10']);
    expect(progress.at(-1)).toEqual([12, 12]);
    expect(progress).toHaveLength(3);
  });

  it('follows the page size the server caps limit to, not the one asked for', async () => {
    const paging = pagingFetch(recorded('list-ipAddresses'), { maxPageSize: 7 });

    const rows = await client(paging.fetch, { pageSize: 1000 }).listAll('ipAddresses');

    expect(rows.map((row) => row.id)).toEqual(recordedIds('list-ipAddresses'));
    const offsets = paging.sent.map((request) => Number(request.query.offset));
    expect(offsets).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 56]);
    expect(paging.sent.slice(1).every((request) => request.query.limit === '7')).toBe(true);
  });

  it('keeps at most maxParallelPages requests in flight and the rows in server order', async () => {
    const paging = pagingFetch(recorded('list-interfaces'), { maxPageSize: 4, hold: true });
    const listing = client(paging.fetch, { maxParallelPages: 3 }).listAll('interfaces');

    // Answer in bursts, the newest waiting request first, so pages complete out of order.
    for (let round = 0; round < 100 && paging.sent.length < 12; round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      while (paging.waiting() > 0) paging.releaseNext();
    }
    const rows = await listing;

    expect(paging.peakInFlight()).toBe(3);
    expect(paging.sent).toHaveLength(12);
    expect(rows.map((row) => row.id)).toEqual(recordedIds('list-interfaces'));
  });

  it('passes filters through, repeating a parameter for a list of values', async () => {
    const paging = pagingFetch(recorded('list-devices'), { maxPageSize: 1000 });

    await client(paging.fetch).listAll('devices', {
      filters: { location: ['ams1', 'nyc1'], cf_owner_team: 'emea-netops' },
    });

    const sent = paging.sent[0];
    expect(sent?.path).toBe('/api/dcim/devices/');
    expect(sent?.url.searchParams.getAll('location')).toEqual(['ams1', 'nyc1']);
    expect(sent?.query.cf_owner_team).toBe('emea-netops');
  });

  it('fails with inconsistent_listing when a later page counts differently', async () => {
    const pages = [0, 5, 10].map((offset) => recorded(`devices-limit5-offset${offset}`));
    const last = pages[2];
    if (last === undefined) throw new Error('recording missing');
    (last.response.body as { count: number }).count = 11;

    const error = await failure(
      client(replayFetch(pages).fetch, { pageSize: 5 }).listAll('devices'),
    );

    expect(error.code).toBe('inconsistent_listing');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} changed GET /api/dcim/devices/ while it was read: expected 12 ` +
        'objects, a later page counted 11. Objects were probably created or deleted ' +
        'meanwhile; read it again',
    );
  });

  it('refuses a page larger than maxResponseBytes with response_too_large', async () => {
    const replay = replayFetch([recorded('list-interfaces')]);

    const error = await failure(
      client(replay.fetch, { maxResponseBytes: 10_000 }).listAll('interfaces'),
    );

    expect(error.code).toBe('response_too_large');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} answered GET /api/dcim/interfaces/ with more than 10000 bytes, ` +
        'the most one answer may hold: ask for smaller pages (pageSize), or raise ' +
        'maxResponseBytes if this is expected',
    );
  });

  it('names the field that does not match the model', async () => {
    const listing = recorded('list-devices');
    const rows = (listing.response.body as { results: Array<Record<string, unknown>> }).results;
    if (rows[3] !== undefined) rows[3].serial = 42;

    const error = await failure(client(replayFetch([listing]).fetch).listAll('devices'));

    expect(error.code).toBe('unexpected_response');
    expect(error.message).toContain('results.3.serial: Invalid input: expected string');
  });
});

describe('count', () => {
  it('reads the count of a one-row page, with the filters', async () => {
    const paging = pagingFetch(recorded('list-prefixes'), { maxPageSize: 1000 });

    const count = await client(paging.fetch).count('prefixes', { namespace: 'Global' });

    expect(count).toBe(23);
    expect(paging.sent[0]?.query).toEqual({ namespace: 'Global', limit: '1', depth: '0' });
  });
});

describe('probe', () => {
  const probeAnswers = () => [recorded('probe-devices'), recorded('probe-status')];

  it('reports the release, the newest API version and the device count', async () => {
    const replay = replayFetch(probeAnswers());

    const result = await client(replay.fetch).probe();

    expect(result).toEqual({ nautobotVersion: '3.2.7', apiVersion: '3.2', deviceCount: 12 });
    const devices = replay.sent.find((request) => request.path === '/api/dcim/devices/');
    expect(devices?.headers.get('accept')).toBe('application/json');
    expect(devices?.headers.get('authorization')).toBe(`Token ${token}`);
  });

  it('refuses a server whose answer says API version 2.4', async () => {
    const [devices, status] = probeAnswers();
    if (devices === undefined || status === undefined) throw new Error('recording missing');
    devices.response.headers['api-version'] = '2.4';

    const error = await failure(client(replayFetch([devices, status]).fetch).probe());

    expect(error.code).toBe('unsupported_version');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} runs REST API version 2.4; expected Nautobot 3.0 or later ` +
        '(REST API 3.x): upgrade Nautobot, or connect one that runs 3.x',
    );
  });
});

describe('request', () => {
  it('sends JSON with the pinned API version and returns the parsed answer', async () => {
    const created = recorded('webhook-created');
    const replay = replayFetch([created]);

    const answer = await client(replay.fetch).request('POST', '/api/extras/webhooks/', {
      body: { name: 'x' },
    });

    expect(answer).toEqual(created.response.body);
    expect(replay.sent[0]?.headers.get('accept')).toBe('application/json; version=3.0');
    expect(replay.sent[0]?.headers.get('content-type')).toBe('application/json');
  });

  it('never retries a write: a 503 to a POST fails at once', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls += 1;
      return new Response('Service Unavailable', { status: 503 });
    }) as typeof globalThis.fetch;

    const error = await failure(client(fetch).request('POST', '/api/extras/tags/', { body: {} }));

    expect(error.code).toBe('server_error');
    expect(calls).toBe(1);
  });
});
