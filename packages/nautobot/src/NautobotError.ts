/**
 * Stable codes a caller can branch on (the sync marks an integration red with them, the UI
 * explains them). Messages are for people, and never contain the token.
 */
export type NautobotErrorCode =
  /** 403 "Invalid token" / "Token expired" / "User inactive": the token is wrong or revoked. */
  | 'token_rejected'
  /** 401, which Nautobot sends only on endpoints that also accept Basic auth. */
  | 'unauthenticated'
  /** 403 for a valid token whose user may not do this to this object type. */
  | 'permission_denied'
  | 'unreachable'
  /**
   * The injected fetch could not carry the request at all: it rejected with an error whose
   * `code` is `transport_unavailable` (a tunnel whose agent is offline, say). Its message,
   * which says why and what to do, is kept.
   */
  | 'transport_unavailable'
  /** The connection broke after it was made (reset, closed mid-answer), retries used up. */
  | 'connection_lost'
  | 'tls_failed'
  | 'not_nautobot'
  | 'unsupported_version'
  | 'timeout'
  | 'cancelled'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  /** Any other status outside 2xx. */
  | 'http_status'
  /** JSON that is not what Nautobot sends for this endpoint (fails its zod model). */
  | 'unexpected_response'
  | 'response_too_large'
  /** Pages disagreed (the collection changed while it was read); reading again helps. */
  | 'inconsistent_listing'
  | 'invalid_base_url';

export interface NautobotErrorDetails {
  /** `GET /api/dcim/interfaces/`, without the query (filters may name customers' data). */
  request?: string;
  status?: number;
  /** Nautobot's own `detail`, such as `Invalid token`, when it sent one. */
  detail?: string;
  /** The object type the request was about, such as `dcim.interface`. */
  objectType?: string;
}

export class NautobotError extends Error {
  override readonly name = 'NautobotError';
  readonly code: NautobotErrorCode;
  readonly details: NautobotErrorDetails;

  constructor(
    code: NautobotErrorCode,
    message: string,
    details: NautobotErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isNautobotError(value: unknown): value is NautobotError {
  return value instanceof NautobotError;
}
