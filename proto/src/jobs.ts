import { z } from 'zod';
import type { JobOutcome } from './frames.ts';

/**
 * One kind of job: its name, the zod schemas of its params and result, and whether it changes
 * anything in the customer's network. Mutating kinds must be signed by the cloud and are
 * refused by an agent in read-only mode. Features define their kinds next to their code.
 */
export interface JobKind<P = unknown, R = unknown> {
  kind: string;
  params: z.ZodType<P>;
  result: z.ZodType<R>;
  mutates: boolean;
  /** Used when the cloud enqueues a job of this kind without a timeout of its own. */
  defaultTimeoutMs: number;
}

export function defineJobKind<P, R>(definition: JobKind<P, R>): JobKind<P, R> {
  if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(definition.kind)) {
    throw new Error(`job kind "${definition.kind}" must be lowercase letters, digits, . _ -`);
  }
  return definition;
}

/**
 * Error codes a job can end with besides the handler's own. The agent uses these; the cloud
 * adds `timed_out` (no result by the deadline) and `cancelled`.
 */
export const jobErrorCodes = {
  unknownKind: 'unknown_kind',
  invalidParams: 'invalid_params',
  invalidResult: 'invalid_result',
  unsigned: 'unsigned',
  badSignature: 'bad_signature',
  readOnly: 'read_only',
  timedOut: 'timed_out',
  cancelled: 'cancelled',
  /** The agent stopped while a mutating job ran; it is not re-run, since it may have acted. */
  interrupted: 'interrupted',
  failed: 'failed',
} as const;

/** Where a value first fails its schema, and why: `device.name: Invalid input`, `(root): …`. */
export function firstIssueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
}

/**
 * A job's result checked against its kind's schema: success with the parsed result, or the
 * `invalid_result` outcome saying "`subject` not valid at" where it fails. The agent checks what
 * its handler returned, the cloud what the agent sent: neither trusts the other side's code.
 */
export function checkJobResult(kind: JobKind, result: unknown, subject: string): JobOutcome {
  const parsed = kind.result.safeParse(result);
  if (parsed.success) return { ok: true, result: parsed.data };
  return {
    ok: false,
    error: {
      code: jobErrorCodes.invalidResult,
      message: `${subject} not valid at ${firstIssueOf(parsed.error)}`,
    },
  };
}

/** Does nothing and returns what it was given: for round-trip measurements and tests. */
export const noopJob = defineJobKind({
  kind: 'noop',
  params: z.object({
    payload: z
      .string()
      .max(64 * 1024)
      .optional(),
  }),
  result: z.object({
    payload: z
      .string()
      .max(64 * 1024)
      .optional(),
  }),
  mutates: false,
  defaultTimeoutMs: 30_000,
});
