import type { WireError } from '@plumbline/proto';

/**
 * The wire error for a fetch that failed on the way to the target. undici throws
 * `TypeError('fetch failed')` with the system error as `cause`; its code (`ECONNREFUSED`,
 * `UND_ERR_SOCKET`, `CERT_HAS_EXPIRED`, ...) and message are what the cloud's caller needs.
 */
export function upstreamFailure(error: unknown, url: URL): WireError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = codeOf(cause) ?? codeOf(error) ?? 'upstream_failed';
  const detail = cause instanceof Error ? cause.message : String(cause);
  return {
    code: code.slice(0, 64),
    message: `request to ${url.origin} failed at the agent: ${detail}`.slice(0, 8000),
  };
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}
