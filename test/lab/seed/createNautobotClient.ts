import type { z } from 'zod';
import { SeedError } from './SeedError.js';

export interface NautobotClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
  /** Bulk requests of a few hundred objects take seconds; this only catches a hung server. */
  requestTimeoutMs?: number;
}

/** The REST calls the seeder and its tests make; bodies come back parsed by the caller's schema. */
export interface NautobotClient {
  get<T>(path: string, query: Record<string, string>, schema: z.ZodType<T>): Promise<T>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
  patch<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T>;
}

/** The seeder speaks the API of the Nautobot minor version the lab pins. */
const apiVersion = '3.2';
const maxBodyChars = 2000;

export function createNautobotClient(options: NautobotClientOptions): NautobotClient {
  const fetchFn = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.requestTimeoutMs ?? 300_000;

  async function send<T>(method: string, target: string, body: unknown, schema: z.ZodType<T>) {
    const label = `${method} ${target}`;
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(`${base}${target}`, {
        method,
        headers: {
          Authorization: `Token ${options.token}`,
          Accept: `application/json; version=${apiVersion}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // A write may have been committed even though its answer was lost, so say so.
      const outcome = method === 'GET' ? '' : '; Nautobot may still have applied it';
      const message = `${label} at ${base} failed: ${describeError(error)}${outcome}`;
      throw new SeedError('unreachable', message, { cause: error });
    }
    if (!response.ok) {
      const status = `${response.status} ${response.statusText}`.trim();
      throw new SeedError('http_status', `${label} returned ${status}: ${describeBody(text)}`);
    }
    return parseBody(label, text, schema);
  }

  return {
    get: (path, query, schema) => {
      const search = new URLSearchParams(query).toString();
      return send('GET', search === '' ? path : `${path}?${search}`, undefined, schema);
    },
    post: (path, body, schema) => send('POST', path, body, schema),
    patch: (path, body, schema) => send('PATCH', path, body, schema),
  };
}

function parseBody<T>(label: string, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SeedError('unexpected_body', `${label} returned non-JSON: ${clip(text)}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new SeedError('unexpected_body', `${label} returned an unexpected body: ${issues}`);
  }
  return parsed.data;
}

/**
 * A failed bulk request answers with one entry per object, mostly `{}`. Only the entries that
 * carry errors are kept, with their position in the request, so the message stays readable.
 */
function describeBody(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return clip(text);
  }
  if (!Array.isArray(json)) return clip(JSON.stringify(json));
  const failures = json.flatMap((entry: unknown, index) =>
    isEmptyObject(entry) ? [] : [`#${index} ${JSON.stringify(entry)}`],
  );
  return clip(`${failures.length} of ${json.length} objects rejected: ${failures.join('; ')}`);
}

/** undici says only "fetch failed"; the reason (refused, reset, closed) is in its causes. */
function describeError(error: unknown): string {
  const messages: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
  return messages.length === 0 ? String(error) : messages.join(': ');
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function clip(text: string): string {
  return text.length > maxBodyChars ? `${text.slice(0, maxBodyChars)}…` : text;
}
