/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Keys whose values are secrets wherever they appear. Matched on the key with `_` and `-`
 * removed, case-insensitively, so `api_token`, `apiToken`, `X-Auth-Token` and `privateKey`
 * all match. Over-matching (a `tokenCount`) costs a log field; under-matching leaks a secret.
 */
const SECRET_KEY =
  /token|password|passwd|passphrase|secret|privatekey|authorization|cookie|apikey/i;

/** Secrets that can hide inside a free-text string: auth header values and PEM private keys. */
const SECRET_IN_TEXT = [
  /\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
];

/** Objects nested deeper than this are cut, so a log call can never walk a huge graph. */
const MAX_DEPTH = 16;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[_-]/g, ''));
}

/** Replaces the secrets the patterns above find inside a free-text string. */
export function scrubText(text: string): string {
  let scrubbed = text;
  for (const pattern of SECRET_IN_TEXT) {
    scrubbed = scrubbed.replace(pattern, (match, scheme: string) =>
      match.startsWith('-----') ? REDACTED : `${scheme} ${REDACTED}`,
    );
  }
  return scrubbed;
}

/**
 * Returns a copy of `value` that is safe to log: values under secret-bearing keys are replaced
 * at any depth, strings are scrubbed, errors keep their name, message and stack, and cycles and
 * excessive depth are cut. The input is never modified.
 */
export function redact(value: unknown): unknown {
  return redactAt(value, 0, new WeakSet());
}

function redactAt(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) {
    return `[${value.byteLength} bytes]`;
  }

  seen.add(value);
  const copy = Array.isArray(value)
    ? value.map((item) => redactAt(item, depth + 1, seen))
    : redactEntries(value, depth, seen);
  seen.delete(value);
  return copy;
}

function redactEntries(
  value: object,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  if (value instanceof Error) {
    copy.type = value.name;
    copy.message = scrubText(value.message);
    if (value.stack !== undefined) copy.stack = scrubText(value.stack);
    if (value.cause !== undefined) copy.cause = redactAt(value.cause, depth + 1, seen);
  }

  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  for (const [key, item] of entries) {
    const name = String(key);
    copy[name] = isSecretKey(name) ? REDACTED : redactAt(item, depth + 1, seen);
  }
  return copy;
}
