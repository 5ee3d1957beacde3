import { NautobotError } from './NautobotError.ts';
import { readBoundedBody } from './readBoundedBody.ts';
import { transportError } from './transportError.ts';

/** Error bodies are read for their `detail` only; more than this is never needed. */
export const maxErrorBodyBytes = 64 * 1024;

export interface Attempt {
  url: URL;
  init: RequestInit;
  /** `GET /api/dcim/devices/`, for messages. */
  request: string;
  /** The base URL as shown to people: no credentials, no trailing slash. */
  origin: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxBodyBytes: number;
  signal: AbortSignal | undefined;
}

export type AttemptResult =
  | { kind: 'answer'; status: number; headers: Headers; text: string }
  | { kind: 'failure'; error: NautobotError; retryable: boolean };

/**
 * Sends one HTTP request and reads its whole body, within `timeoutMs` for both. Failures come
 * back as values with a code; only bugs throw. A 2xx body above `maxBodyBytes` fails with
 * `response_too_large`; other bodies are cut to `maxErrorBodyBytes`, since only their
 * `detail` is read.
 */
export async function sendOnce(attempt: Attempt): Promise<AttemptResult> {
  if (attempt.signal?.aborted) return failure(cancelled(attempt), false);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, attempt.timeoutMs);
  const onCallerAbort = () => controller.abort();
  attempt.signal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    const response = await attempt.fetch(attempt.url, {
      ...attempt.init,
      signal: controller.signal,
    });
    const ok = response.status >= 200 && response.status < 300;
    const body = await readBoundedBody(response, ok ? attempt.maxBodyBytes : maxErrorBodyBytes);
    if (ok && body.truncated) return failure(tooLarge(attempt), false);
    return { kind: 'answer', status: response.status, headers: response.headers, text: body.text };
  } catch (error) {
    if (attempt.signal?.aborted) return failure(cancelled(attempt, error), false);
    if (timedOut) return failure(timeout(attempt, error), false);
    const { error: converted, retryable } = transportError(error, attempt.request, attempt.origin);
    return failure(converted, retryable);
  } finally {
    clearTimeout(timer);
    attempt.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function failure(error: NautobotError, retryable: boolean): AttemptResult {
  return { kind: 'failure', error, retryable };
}

export function cancelled(attempt: Pick<Attempt, 'request' | 'origin'>, cause?: unknown) {
  return new NautobotError(
    'cancelled',
    `${attempt.request} to Nautobot at ${attempt.origin} was cancelled by the caller`,
    { request: attempt.request },
    { cause },
  );
}

function timeout(attempt: Attempt, cause: unknown): NautobotError {
  return new NautobotError(
    'timeout',
    `${attempt.request} to Nautobot at ${attempt.origin} got no complete answer within ` +
      `${attempt.timeoutMs} ms: Nautobot or the way to it is overloaded or stuck; ` +
      'try again later, or allow more time (requestTimeoutMs)',
    { request: attempt.request },
    { cause },
  );
}

function tooLarge(attempt: Attempt): NautobotError {
  const bytes = attempt.maxBodyBytes;
  const size = bytes >= 2 ** 20 ? `${bytes / 2 ** 20} MiB` : `${bytes} bytes`;
  return new NautobotError(
    'response_too_large',
    `Nautobot at ${attempt.origin} answered ${attempt.request} with more than ${size}, ` +
      'the most one answer may hold: ask for smaller pages ' +
      '(pageSize), or raise maxResponseBytes if this is expected',
    { request: attempt.request },
  );
}
