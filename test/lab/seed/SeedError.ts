export type SeedErrorCode =
  /** Nautobot answered with a status other than 2xx. */
  | 'http_status'
  /** The request never got an answer: connection refused, reset or timed out. */
  | 'unreachable'
  /** Nautobot answered 2xx with a body the seeder cannot use. */
  | 'unexpected_body'
  /** The database already holds objects of a type the seeder creates. */
  | 'not_empty'
  /** An object the seeder relies on (the Active status, the Global namespace) is missing. */
  | 'missing_prerequisite';

/** Every failure of the seeder; the message names the endpoint and never holds the token. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
  readonly code: SeedErrorCode;

  constructor(code: SeedErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
