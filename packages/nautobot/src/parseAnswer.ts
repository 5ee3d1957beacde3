import type { z } from 'zod';
import { NautobotError } from './NautobotError.ts';

const shownIssues = 3;

/**
 * Parses an answer's JSON with the model of what Nautobot sends there. A mismatch names the
 * first fields that differ (paths and expectations only, never values, which may be secrets
 * such as a webhook's).
 */
export function parseAnswer<T extends z.ZodType>(
  schema: T,
  body: unknown,
  context: { origin: string; request: string },
): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;

  const { issues } = parsed.error;
  const shown = issues
    .slice(0, shownIssues)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  const more = issues.length > shownIssues ? ` (and ${issues.length - shownIssues} more)` : '';
  throw new NautobotError(
    'unexpected_response',
    `Nautobot at ${context.origin} answered ${context.request} with a body unlike what ` +
      `Nautobot 3 sends: ${shown}${more}. Expected the fields plumbline reads; a Nautobot ` +
      'app or another release may have changed them: report this with the Nautobot version',
    { request: context.request },
  );
}
