import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNautobotClient } from './createNautobotClient.ts';
import type { NautobotClientOptions } from './NautobotClient.ts';
import { isNautobotError, type NautobotError } from './NautobotError.ts';
import { recorded, recordedResponse } from './testing/replayFetch.ts';

const baseUrl = 'http://127.0.0.1:8480';
const token = '0123456789abcdef0123456789abcdef01234567';

/** A fetch that gives the scripted answers in turn (a function throws, as a broken link). */
function scripted(answers: Array<Response | (() => never)>) {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    calls.push(String(input));
    const next = answers.shift();
    if (next === undefined) throw new Error('no more scripted answers');
    return typeof next === 'function' ? next() : next;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function recordingSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { sleep, waits };
}

function client(fetch: typeof globalThis.fetch, options: Partial<NautobotClientOptions> = {}) {
  return createNautobotClient({ baseUrl, token, fetch, random: () => 0.5, ...options });
}

async function failure(promise: Promise<unknown>): Promise<NautobotError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isNautobotError(error)) throw new Error(`expected a NautobotError, got ${String(error)}`);
  return error;
}

const tags = () => recordedResponse(recorded('list-tags'));
const proxyAnswer = (status: number, headers: Record<string, string> = {}) =>
  new Response(`<html><body><h1>${status}</h1></body></html>`, {
    status,
    headers: { 'content-type': 'text/html', ...headers },
  });
const brokenLink = (code: string, message: string) => () => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
};

afterEach(() => {
  vi.useRealTimers();
});

describe('retries of a GET', () => {
  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    const { fetch, calls } = scripted([proxyAnswer(429, { 'retry-after': '2' }), tags()]);
    const { sleep, waits } = recordingSleep();

    const rows = await client(fetch, { sleep }).listAll('tags');

    expect(rows).toHaveLength(3);
    expect(waits).toEqual([2000]);
    expect(calls).toHaveLength(2);
  });

  it('backs off with full jitter on 5xx: a random share of 500 ms doubling per attempt', async () => {
    const { fetch } = scripted([proxyAnswer(502), proxyAnswer(503), proxyAnswer(500), tags()]);
    const { sleep, waits } = recordingSleep();

    await client(fetch, { sleep }).listAll('tags');

    expect(waits).toEqual([250, 500, 1000]);
  });

  it('gives up after `retries` extra attempts with server_error', async () => {
    const { fetch, calls } = scripted([proxyAnswer(503), proxyAnswer(503), proxyAnswer(503)]);
    const { sleep, waits } = recordingSleep();

    const error = await failure(client(fetch, { sleep, retries: 2 }).count('tags'));

    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(error.code).toBe('server_error');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} failed on GET /api/extras/tags/ with 503 "503" (asked 3 times): ` +
        'its own log says why; try again later',
    );
  });

  it('does not wait for a Retry-After over two minutes, and says rate_limited', async () => {
    const { fetch, calls } = scripted([proxyAnswer(429, { 'retry-after': '600' })]);
    const { sleep, waits } = recordingSleep();

    const error = await failure(client(fetch, { sleep }).count('tags'));

    expect(error.code).toBe('rate_limited');
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('sends again after uWSGI closed the connection mid-answer ("other side closed")', async () => {
    const { fetch, calls } = scripted([brokenLink('UND_ERR_SOCKET', 'other side closed'), tags()]);
    const { sleep, waits } = recordingSleep();

    await client(fetch, { sleep }).listAll('tags');

    expect(calls).toHaveLength(2);
    expect(waits).toEqual([250]);
  });

  it('says connection_lost when every attempt broke under the answer', async () => {
    const reset = brokenLink('ECONNRESET', 'read ECONNRESET');
    const { fetch, calls } = scripted([reset, reset]);
    const { sleep } = recordingSleep();

    const error = await failure(client(fetch, { sleep, retries: 1 }).count('tags'));

    expect(calls).toHaveLength(2);
    expect(error.code).toBe('connection_lost');
    expect(error.message).toBe(
      `GET /api/extras/tags/ to ${baseUrl}: the connection was closed before the answer was ` +
        'complete (read ECONNRESET); check the server and any proxy in between, then try again',
    );
  });

  it('does not retry a refused connection: unreachable at once', async () => {
    const { fetch, calls } = scripted([brokenLink('ECONNREFUSED', 'connect ECONNREFUSED')]);

    const error = await failure(client(fetch).count('tags'));

    expect(error.code).toBe('unreachable');
    expect(calls).toHaveLength(1);
  });

  it('keeps the message of a transport that could not carry the request at all', async () => {
    const offline = () => {
      const why = 'agent a1 has no tunnel connection to this cloud; check that it runs';
      throw Object.assign(new Error(why), { code: 'transport_unavailable' });
    };
    const { fetch, calls } = scripted([offline, tags()]);

    const error = await failure(client(fetch).count('tags'));

    expect(calls).toHaveLength(1);
    expect(error.code).toBe('transport_unavailable');
    expect(error.message).toBe(
      `GET /api/extras/tags/ to ${baseUrl}: not sent: ` +
        'agent a1 has no tunnel connection to this cloud; check that it runs',
    );
  });

  it('stops waiting and says cancelled when the caller aborts during a backoff', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scripted([proxyAnswer(503), tags()]);
    const sleep = (_ms: number, signal?: AbortSignal) => {
      controller.abort();
      return Promise.reject(signal?.reason);
    };

    const error = await failure(
      client(fetch, { sleep }).listAll('tags', { signal: controller.signal }),
    );

    expect(error.code).toBe('cancelled');
    expect(error.message).toBe(
      `GET /api/extras/tags/ to Nautobot at ${baseUrl} was cancelled by the caller`,
    );
    expect(calls).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('aborts an attempt after requestTimeoutMs and says timeout, without retrying', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const hanging = ((_input: unknown, init?: RequestInit) => {
      calls += 1;
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }) as typeof globalThis.fetch;

    const pending = failure(client(hanging, { requestTimeoutMs: 5_000 }).count('tags'));
    await vi.advanceTimersByTimeAsync(5_000);
    const error = await pending;

    expect(error.code).toBe('timeout');
    expect(error.message).toBe(
      `GET /api/extras/tags/ to Nautobot at ${baseUrl} got no complete answer within 5000 ms: ` +
        'Nautobot or the way to it is overloaded or stuck; try again later, or allow more ' +
        'time (requestTimeoutMs)',
    );
    expect(calls).toBe(1);
  });
});
