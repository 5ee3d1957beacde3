/** Stable codes a caller can branch on; messages are for people and never hold a secret. */
export type DriverErrorCode =
  | 'auth_failed'
  | 'host_key_changed'
  | 'unreachable'
  | 'timeout'
  | 'command_rejected'
  | 'commit_failed'
  | 'rolled_back'
  | 'output_too_large'
  | 'connection_lost'
  | 'unsupported_platform'
  | 'protocol_error';

export interface DriverErrorDetails {
  /** `host:port` of the device. */
  device?: string;
  /** The command or configuration line the device refused or that timed out. */
  line?: string;
  /** The device's own message, e.g. `% Invalid input detected at '^' marker.` */
  deviceMessage?: string;
  /** Host-key fingerprints (SHA256:...) for `host_key_changed`. */
  expectedFingerprint?: string;
  actualFingerprint?: string;
}

export class DriverError extends Error {
  override readonly name = 'DriverError';
  readonly code: DriverErrorCode;
  readonly details: DriverErrorDetails;

  constructor(
    code: DriverErrorCode,
    message: string,
    details: DriverErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isDriverError(value: unknown): value is DriverError {
  return value instanceof DriverError;
}

/**
 * The same error with a sentence added, such as what became of the change after it; values
 * that are not DriverErrors pass through unchanged.
 */
export function withOutcome(error: unknown, outcome: string): unknown {
  if (!isDriverError(error)) return error;
  return new DriverError(error.code, `${error.message}; ${outcome}`, error.details, {
    cause: error,
  });
}
