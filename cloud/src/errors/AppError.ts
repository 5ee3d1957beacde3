import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { describeZodError } from './describeZodError.ts';

/** Stable codes a client can branch on. Each has one HTTP status. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatus;

/**
 * The one error type the service answers with. Its message is for a person: what was expected,
 * what was found, and what to do. It never holds a secret.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code];
  }

  toBody(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * The one place thrown values become answers: a failed validation is the caller's mistake and
 * says what was wrong; anything else unknown is `internal` and reveals nothing inside.
 */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  if (value instanceof z.ZodError) {
    return new AppError('bad_request', describeZodError(value), { cause: value });
  }
  return new AppError('internal', 'internal error; the server log has the details', {
    cause: value,
  });
}
