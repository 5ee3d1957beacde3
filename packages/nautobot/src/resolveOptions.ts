import { setTimeout as sleepFor } from 'node:timers/promises';
import type { NautobotClientOptions } from './NautobotClient.ts';
import { NautobotError } from './NautobotError.ts';
import type { Transport } from './sendRequest.ts';

export const clientDefaults = {
  maxParallelPages: 4,
  // Measured on the lab's 2,000-device Nautobot 3.2.7 (2 cores): one 1000-row page of
  // interfaces or ip-address-to-interface takes 8-20 s alone and 30-50 s with four in flight,
  // so 30 s cut healthy listings short. uWSGI's own limit there is 300 s (harakiri).
  requestTimeoutMs: 120_000,
  retries: 4,
  maxResponseBytes: 64 * 2 ** 20,
};

export interface ResolvedOptions {
  transport: Transport;
  pageSize: number | undefined;
  maxParallelPages: number;
}

/**
 * Checks the options once, when the client is made. A base URL or token that can never work
 * is a NautobotError (they come from a person); a nonsensical number is a bug and a RangeError.
 */
export function resolveOptions(options: NautobotClientOptions): ResolvedOptions {
  const baseUrl = checkedBaseUrl(options.baseUrl);
  checkToken(options.token);
  const transport: Transport = {
    baseUrl,
    origin: baseUrl.href.replace(/\/+$/, ''),
    token: options.token,
    fetch: options.fetch ?? globalThis.fetch,
    requestTimeoutMs: whole('requestTimeoutMs', options.requestTimeoutMs, 1, clientDefaults),
    retries: whole('retries', options.retries, 0, clientDefaults),
    maxResponseBytes: whole('maxResponseBytes', options.maxResponseBytes, 1, clientDefaults),
    sleep: options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal })),
    random: options.random ?? Math.random,
    now: Date.now,
    logger: options.logger,
  };
  const pageSize =
    options.pageSize === undefined ? undefined : whole('pageSize', options.pageSize, 1, {});
  const maxParallelPages = whole('maxParallelPages', options.maxParallelPages, 1, clientDefaults);
  return { transport, pageSize, maxParallelPages };
}

function checkedBaseUrl(text: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const problem =
    url === undefined
      ? 'it is not a URL'
      : !['http:', 'https:'].includes(url.protocol)
        ? `its scheme is ${url.protocol.replace(':', '')}`
        : url.username !== '' || url.password !== ''
          ? 'it holds a user name or password'
          : url.search !== '' || url.hash !== ''
            ? 'it has a query or fragment'
            : undefined;
  if (url === undefined || problem !== undefined) {
    // The text is not echoed when it might hold a password.
    const shown = url?.password ? 'the base URL' : `"${text}"`;
    throw new NautobotError(
      'invalid_base_url',
      `${shown} cannot be a Nautobot address: ${problem}. Expected http(s)://host[:port][/path], ` +
        'the address of its web interface (the token goes in the token field)',
    );
  }
  return url;
}

/** Sent as a header, so it must be one printable word; Nautobot's keys are 40 hex digits. */
function checkToken(token: string): void {
  if (/^[\x21-\x7e]+$/.test(token)) return;
  throw new NautobotError(
    'token_rejected',
    'The API token is empty or holds spaces or control characters: token wrong. Expected the ' +
      'key Nautobot shows for the token (40 characters); paste it again without spaces',
  );
}

function whole(
  name: string,
  value: number | undefined,
  minimum: number,
  fallback: Partial<Record<string, number>>,
): number {
  const chosen = value ?? fallback[name];
  if (chosen === undefined || !Number.isSafeInteger(chosen) || chosen < minimum) {
    throw new RangeError(`${name} must be a whole number of at least ${minimum}, got ${value}`);
  }
  return chosen;
}
