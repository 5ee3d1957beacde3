import { describe, expect, it } from 'vitest';
import { applyInventory } from './applyInventory.js';
import { planInventory } from './planInventory.js';
import { SeedError } from './SeedError.js';

const token = 'f'.repeat(40);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

interface FakeNautobot {
  fetch: typeof fetch;
  /** Objects created per endpoint path. */
  created: Map<string, Record<string, unknown>[]>;
  patched: Record<string, unknown>[];
}

/**
 * An in-memory stand-in for Nautobot's bulk endpoints. It rejects a body that refers to a UUID
 * it has not handed out yet, which is how a foreign key out of order would fail for real.
 */
function fakeNautobot(options: { existingDevices?: number } = {}): FakeNautobot {
  let next = 0;
  const known = new Set<string>();
  const created = new Map<string, Record<string, unknown>[]>();
  const patched: Record<string, unknown>[] = [];
  const newId = () => {
    next += 1;
    const id = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
    known.add(id);
    return id;
  };
  const builtIn = { Active: newId(), Global: newId() };
  const reply = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const unknownRefs = (body: Record<string, unknown>) =>
    Object.values(body)
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .filter((value) => typeof value === 'string' && uuidPattern.test(value) && !known.has(value));

  const fetchFn = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    if (method === 'GET') {
      const name = url.searchParams.get('name');
      if (name !== null) {
        const id = builtIn[name as keyof typeof builtIn];
        return reply(200, { count: 1, results: id === undefined ? [] : [{ id, name }] });
      }
      const count = url.pathname === '/api/dcim/devices/' ? (options.existingDevices ?? 0) : 0;
      return reply(200, { count, results: [] });
    }
    const items = JSON.parse(String(init?.body)) as Record<string, unknown>[];
    const dangling = items.flatMap(unknownRefs);
    if (dangling.length > 0) return reply(400, [{ __all__: [`unknown ids ${dangling}`] }]);
    if (method === 'PATCH') {
      patched.push(...items);
      return reply(200, items);
    }
    const rows = items.map((item) => ({
      ...item,
      id: newId(),
      ...(typeof item.device === 'string' ? { device: { id: item.device } } : {}),
    }));
    created.set(url.pathname, [...(created.get(url.pathname) ?? []), ...rows]);
    return reply(201, rows);
  };
  return { fetch: fetchFn as typeof fetch, created, patched };
}

describe('applyInventory', () => {
  it('creates every planned object in foreign-key order and counts them', async () => {
    const plan = planInventory(30);
    const nautobot = fakeNautobot();
    const result = await applyInventory(plan, {
      url: 'http://nautobot.test',
      token,
      fetch: nautobot.fetch,
      chunkSize: 7,
    });
    expect(result.counts).toEqual(plan.counts);
    expect(Object.keys(result.deviceIds)).toEqual(plan.devices.map((d) => d.name));
    expect(nautobot.created.get('/api/dcim/devices/')).toHaveLength(30);
    expect(nautobot.patched).toHaveLength(30);
    expect(nautobot.patched.every((p) => p.primary_ip4 && p.primary_ip6)).toBe(true);
  });

  it('sends chunks of at most chunkSize objects, with progress up to the plan count', async () => {
    const plan = planInventory(12);
    const nautobot = fakeNautobot();
    const sizes: number[] = [];
    const progress: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') sizes.push((JSON.parse(String(init.body)) as unknown[]).length);
      return nautobot.fetch(input, init);
    };
    await applyInventory(plan, {
      url: 'http://nautobot.test/',
      token,
      fetch: counting,
      chunkSize: 10,
      onProgress: (step, done, total) => progress.push(`${step} ${done}/${total}`),
    });
    expect(Math.max(...sizes)).toBe(10);
    expect(progress).toContain('interfaces 48/48');
    expect(progress).toContain('primaryIps 12/12');
  });

  it('refuses a database that already holds devices', async () => {
    const nautobot = fakeNautobot({ existingDevices: 3 });
    const seeding = applyInventory(planInventory(12), {
      url: 'http://nautobot.test',
      token,
      fetch: nautobot.fetch,
    });
    await expect(seeding).rejects.toThrow(/already holds .*3 at \/api\/dcim\/devices\//);
    expect(nautobot.created.size).toBe(0);
  });

  it('names the endpoint, status and rejected objects, never the token', async () => {
    const nautobot = fakeNautobot();
    const failing: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/dcim/devices/') && init?.method === 'POST') {
        const body = [{}, { asset_tag: ['device with this Asset tag already exists.'] }];
        return new Response(JSON.stringify(body), { status: 400, statusText: 'Bad Request' });
      }
      return nautobot.fetch(input, init);
    };
    const error = await applyInventory(planInventory(12), {
      url: 'http://nautobot.test',
      token,
      fetch: failing,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).code).toBe('http_status');
    expect((error as SeedError).message).toBe(
      'POST /api/dcim/devices/ returned 400 Bad Request: 1 of 2 objects rejected: ' +
        '#1 {"asset_tag":["device with this Asset tag already exists."]}',
    );
    expect((error as SeedError).message).not.toContain(token);
  });

  it('says which prerequisite a half-migrated database lacks', async () => {
    const nautobot = fakeNautobot();
    const noStatus: typeof fetch = async (input, init) => {
      if (String(input).includes('/api/extras/statuses/')) {
        return new Response(JSON.stringify({ count: 0, results: [] }), { status: 200 });
      }
      return nautobot.fetch(input, init);
    };
    const seeding = applyInventory(planInventory(12), {
      url: 'http://nautobot.test',
      token,
      fetch: noStatus,
    });
    await expect(seeding).rejects.toMatchObject({ code: 'missing_prerequisite' });
  });

  it('reports an unreachable server with the URL and the cause', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    };
    const seeding = applyInventory(planInventory(12), {
      url: 'http://127.0.0.1:1',
      token,
      fetch: refused,
    });
    await expect(seeding).rejects.toMatchObject({ code: 'unreachable' });
    await expect(seeding).rejects.toThrow(
      /^GET \/api\/\S+ at http:\/\/127\.0\.0\.1:1 failed: fetch failed: connect ECONNREFUSED$/,
    );
  });
});
