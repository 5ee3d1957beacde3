import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RecordedExchange, recordedExchangeSchema } from './RecordedExchange.ts';

const recordedDir = join(import.meta.dirname, 'recorded');

/** A recorded exchange by file name (without `.json`), e.g. `list-devices`. */
export function recorded(name: string): RecordedExchange {
  const text = readFileSync(join(recordedDir, `${name}.json`), 'utf8');
  return recordedExchangeSchema.parse(JSON.parse(text));
}

export function recordedNames(): string[] {
  return readdirSync(recordedDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length));
}

/** The recorded answer as a fetch Response; `headers` replace or add header values. */
export function recordedResponse(
  exchange: RecordedExchange,
  headers: Record<string, string> = {},
): Response {
  const { status, body } = exchange.response;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(status === 204 ? null : text, {
    status,
    headers: { ...exchange.response.headers, ...headers },
  });
}

export interface SentRequest {
  method: string;
  /** The whole URL, where repeated query parameters stay visible. */
  url: URL;
  path: string;
  query: Record<string, string>;
  headers: Headers;
}

export interface ReplayFetch {
  fetch: typeof globalThis.fetch;
  /** Every request the client sent, in order. */
  sent: SentRequest[];
}

/**
 * A fetch that answers each request with the recorded exchange of the same method, path and
 * query (order of parameters aside), and fails the test loudly for anything unrecorded.
 */
export function replayFetch(exchanges: RecordedExchange[]): ReplayFetch {
  const sent: SentRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const request: SentRequest = {
      method: init?.method ?? 'GET',
      url,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: new Headers(init?.headers),
    };
    sent.push(request);
    const match = exchanges.find((exchange) => sameRequest(exchange, request));
    if (match === undefined) {
      throw new Error(`no recorded answer for ${request.method} ${url.pathname}${url.search}`);
    }
    return recordedResponse(match);
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

function sameRequest(exchange: RecordedExchange, request: SentRequest): boolean {
  const recordedQuery = exchange.request.query;
  const names = new Set([...Object.keys(recordedQuery), ...Object.keys(request.query)]);
  return (
    exchange.request.method === request.method &&
    exchange.request.path === request.path &&
    [...names].every((name) => recordedQuery[name] === request.query[name])
  );
}
