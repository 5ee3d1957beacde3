import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One request the client made to the lab's Nautobot and the answer it got, verbatim. */
export const exchangeSchema = z.object({
  /** `GET /api/dcim/devices/?limit=1&depth=0`: method, path and query, never the origin. */
  request: z.string(),
  requestBody: z.unknown().optional(),
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export type Exchange = z.infer<typeof exchangeSchema>;

/** A real webhook delivery: the exact body bytes (as text) and the signature Nautobot sent. */
export const deliverySchema = z.object({
  label: z.string(),
  signature: z.string(),
  body: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const recordingSchema = z.object({
  recordedAt: z.string(),
  nautobotVersion: z.string(),
  /** What the recording was made with, for a person reading the file. */
  note: z.string(),
  exchanges: z.array(exchangeSchema),
  /** The incremental `last_updated__gte` time the exchanges were recorded with, if any. */
  changedSince: z.string().optional(),
  /** A throwaway secret the recorded webhook was registered with, and its deliveries. */
  webhookSecret: z.string().optional(),
  deliveries: z.array(deliverySchema).optional(),
});
export type Recording = z.infer<typeof recordingSchema>;

export const recordedDir = new URL('./recorded/', import.meta.url);

export function readRecording(name: string): Recording {
  return recordingSchema.parse(JSON.parse(readFileSync(new URL(name, recordedDir), 'utf8')));
}

export function requestKey(method: string, url: string): string {
  const parsed = new URL(url);
  return `${method.toUpperCase()} ${parsed.pathname}${parsed.search}`;
}

/** Requests a recording fetch has sent and not yet recorded the answer of. */
export const inFlight = { count: 0 };

/** A fetch that records every exchange it passes on to `inner`. */
export function recordingFetch(inner: typeof fetch, into: Exchange[]): typeof fetch {
  return async (input, init) => {
    inFlight.count++;
    try {
      return await record(inner, into, input, init);
    } finally {
      inFlight.count--;
    }
  };
}

async function record(
  inner: typeof fetch,
  into: Exchange[],
  input: Parameters<typeof fetch>[0],
  init: Parameters<typeof fetch>[1],
): Promise<Response> {
  const request = new Request(input, init);
  const requestText = request.body ? await request.clone().text() : undefined;
  const response = await inner(request);
  const body = await response.text();
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'api-version']) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  into.push({
    request: requestKey(request.method, request.url),
    ...(requestText ? { requestBody: JSON.parse(requestText) as unknown } : {}),
    status: response.status,
    headers,
    body,
  });
  const empty = response.status === 204 || response.status === 304;
  return new Response(empty ? null : body, {
    status: response.status,
    headers: response.headers,
  });
}

/**
 * A fetch that answers from a recording, by method, path and query; a request that was not
 * recorded fails the test with its name, so a replay never silently invents an answer.
 */
export function replayFetch(
  recording: Recording,
  options: { failOn?: string; anyQueryFor?: string[] } = {},
) {
  const answers = new Map<string, Exchange>();
  for (const exchange of recording.exchanges) answers.set(exchange.request, exchange);
  // For paths in `anyQueryFor`, a request with another query gets the recorded answer of the
  // same method and path (a lookup by a name that differs per test run, say).
  const byPath = new Map<string, Exchange>();
  for (const exchange of recording.exchanges) {
    const path = exchange.request.split('?')[0] ?? '';
    if (options.anyQueryFor?.some((p) => path.endsWith(p))) byPath.set(path, exchange);
  }
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const key = requestKey(request.method, request.url);
    requests.push(key);
    if (options.failOn !== undefined && key.includes(options.failOn)) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
      });
    }
    const exchange = answers.get(key) ?? byPath.get(key.split('?')[0] ?? '');
    if (!exchange) throw new Error(`no recorded answer for ${key}`);
    return new Response(exchange.status === 204 ? null : exchange.body, {
      status: exchange.status,
      headers: exchange.headers,
    });
  };
  return { fetch, requests };
}
