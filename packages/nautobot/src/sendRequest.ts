import type { Logger } from '@plumbline/log';
import { isSupportedVersion, unsupportedVersion, versionRefused } from './apiVersion.ts';
import { backoffDelayMs } from './backoffDelayMs.ts';
import { errorDetail } from './errorDetail.ts';
import { errorForStatus } from './errorForStatus.ts';
import { appendFilters, type Filters } from './Filters.ts';
import { NautobotError } from './NautobotError.ts';
import { objectTypeOfPath } from './resources.ts';
import { retryAfterMs } from './retryAfterMs.ts';
import { cancelled, sendOnce } from './sendOnce.ts';

/** Everything a request needs that does not change between requests of one client. */
export interface Transport {
  baseUrl: URL;
  origin: string;
  token: string;
  fetch: typeof globalThis.fetch;
  requestTimeoutMs: number;
  retries: number;
  maxResponseBytes: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
  logger: Logger | undefined;
}

export interface RequestSpec {
  method: string;
  /** An API path such as `/api/dcim/devices/`, relative to the base URL. */
  path: string;
  query?: Filters | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** `Accept: application/json; version=…`; none asks the server for its newest. */
  apiVersion: string | undefined;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body (204). */
  body: unknown;
}

/** A `Retry-After` longer than this is not waited for: the error says how long it asked. */
const maxRetryAfterMs = 120_000;
const idempotent = new Set(['GET', 'HEAD']);

/**
 * Sends one API request and returns its parsed JSON answer, or throws a NautobotError.
 * Idempotent requests are retried on 429 (after `Retry-After` when given), 5xx and broken
 * connections, with full-jitter backoff; writes never, as Nautobot may have applied them.
 */
export async function sendRequest(transport: Transport, spec: RequestSpec): Promise<Answer> {
  const request = `${spec.method} ${spec.path}`;
  const url = requestUrl(transport.baseUrl, spec);
  const init = requestInit(transport.token, spec);
  const retryable = idempotent.has(spec.method);

  for (let attempt = 0; ; attempt += 1) {
    const result = await sendOnce({
      url,
      init,
      request,
      origin: transport.origin,
      fetch: transport.fetch,
      timeoutMs: transport.requestTimeoutMs,
      maxBodyBytes: transport.maxResponseBytes,
      signal: spec.signal,
    });
    const canRetry = retryable && attempt < transport.retries;

    if (result.kind === 'failure') {
      if (!(canRetry && result.retryable)) throw result.error;
      await pause(transport, spec, request, attempt, backoffDelayMs(attempt, transport.random), {
        code: result.error.code,
      });
      continue;
    }
    if (canRetry && (result.status === 429 || result.status >= 500)) {
      const asked = retryAfterMs(result.headers.get('retry-after'), transport.now());
      if (asked !== undefined && asked > maxRetryAfterMs) {
        throw errorForStatus(
          result.status,
          result.text,
          statusContext(transport, spec, attempt + 1),
        );
      }
      const delayMs = asked ?? backoffDelayMs(attempt, transport.random);
      await pause(transport, spec, request, attempt, delayMs, { status: result.status });
      continue;
    }
    return interpret(transport, spec, attempt + 1, result);
  }
}

function requestUrl(baseUrl: URL, spec: RequestSpec): URL {
  const url = new URL(baseUrl.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${spec.path}`;
  appendFilters(url.searchParams, spec.query);
  return url;
}

function requestInit(token: string, spec: RequestSpec): RequestInit {
  const headers: Record<string, string> = {
    Authorization: `Token ${token}`,
    Accept:
      spec.apiVersion === undefined
        ? 'application/json'
        : `application/json; version=${spec.apiVersion}`,
  };
  if (spec.body === undefined) return { method: spec.method, headers };
  headers['Content-Type'] = 'application/json';
  return { method: spec.method, headers, body: JSON.stringify(spec.body) };
}

async function pause(
  transport: Transport,
  spec: RequestSpec,
  request: string,
  attempt: number,
  delayMs: number,
  reason: { status?: number; code?: string },
): Promise<void> {
  transport.logger?.warn(
    { request, origin: transport.origin, ...reason, attempt: attempt + 1, delayMs },
    'nautobot request failed; retrying',
  );
  try {
    await transport.sleep(delayMs, spec.signal);
  } catch (error) {
    throw cancelled({ request, origin: transport.origin }, error);
  }
  if (spec.signal?.aborted) throw cancelled({ request, origin: transport.origin });
}

function statusContext(transport: Transport, spec: RequestSpec, attempts: number) {
  return {
    method: spec.method,
    request: `${spec.method} ${spec.path}`,
    origin: transport.origin,
    objectType: objectTypeOfPath(spec.path),
    attempts,
  };
}

/**
 * Nautobot puts `API-Version` on every answer of its API views, errors included. Only a 404
 * for a path it does not route and a 406 for an unknown API version lack it; a 401 or 5xx may
 * come from a proxy in front.
 */
function interpret(
  transport: Transport,
  spec: RequestSpec,
  attempts: number,
  answer: { status: number; headers: Headers; text: string },
): Answer {
  const { status, headers, text } = answer;
  const request = `${spec.method} ${spec.path}`;
  const apiVersion = headers.get('api-version');
  const known = objectTypeOfPath(spec.path) !== undefined;

  if (apiVersion !== null && !isSupportedVersion(apiVersion)) {
    throw unsupportedVersion(transport.origin, apiVersion, 'API', request);
  }
  // Nautobot's 406 for an API version it lacks comes without the header.
  const detail = errorDetail(text) ?? '';
  if (status === 406 && /^Invalid version/.test(detail)) {
    throw versionRefused(transport.origin, request, detail);
  }
  if (apiVersion === null && status < 500 && status !== 401 && (status !== 404 || known)) {
    throw notNautobot(transport.origin, request, status, headers, text);
  }
  if (status < 200 || status >= 300) {
    throw errorForStatus(status, text, statusContext(transport, spec, attempts));
  }
  return { status, headers, body: parseJson(transport.origin, request, text) };
}

function parseJson(origin: string, request: string, text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new NautobotError(
      'unexpected_response',
      `Nautobot at ${origin} answered ${request} with a body that is not JSON ` +
        `(starts "${text.slice(0, 60)}"); expected JSON from its REST API`,
      { request },
    );
  }
}

export function notNautobot(
  origin: string,
  request: string,
  status: number,
  headers: Headers,
  text: string,
): NautobotError {
  const type = headers.get('content-type')?.split(';')[0] ?? 'no content type';
  const start = text.slice(0, 60).replace(/\s+/g, ' ').trim();
  return new NautobotError(
    'not_nautobot',
    `${origin} answered ${request} with ${status} (${type}, "${start}") and no API-Version ` +
      'header: expected the Nautobot REST API there. Check the URL: it is the address of ' +
      "Nautobot's web interface, without /api",
    { request, status },
  );
}
