import type { JobOutcome } from '@plumbline/proto';

const maxMessageChars = 8000;

/**
 * A handler's thrown value as a job outcome: a typed error keeps its `code` (a driver's
 * `unreachable`, say); anything else is `failed`. Messages are cut to the wire's limit.
 */
export function outcomeOfError(error: unknown): JobOutcome & { ok: false } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: {
      code: typeof code === 'string' && /^[a-z][a-z0-9_.-]{0,63}$/.test(code) ? code : 'failed',
      message: message.slice(0, maxMessageChars) || 'the job handler failed without a message',
    },
  };
}
