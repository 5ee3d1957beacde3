/**
 * The wait a `Retry-After` header asks for, in milliseconds: either delay-seconds or an
 * HTTP-date. Undefined when the header is absent or unreadable, so the caller's own backoff
 * applies.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
