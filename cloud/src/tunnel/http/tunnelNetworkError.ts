import type { WireError } from '@plumbline/proto';

/**
 * A failure of the way to the target, shaped as undici shapes fetch's network errors: a
 * TypeError whose `cause` carries a stable `code` (`ECONNREFUSED`, `target_not_allowed`,
 * `agent_disconnected`, ...), so callers written for direct fetch classify it unchanged.
 */
export function tunnelNetworkError(error: WireError): TypeError {
  return new TypeError(error.message, { cause: { code: error.code, message: error.message } });
}
