import { createLogger } from '@plumbline/log';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withoutQueryParams } from './withoutQueryParams.ts';

describe('withoutQueryParams', () => {
  const csrfToken = 'Yk3n0tSecretLooking-value_42';
  const failed = new DrizzleQueryError(
    'insert into "sessions" ("id", "csrf_token") values (?, ?)',
    ['s1', csrfToken],
    new Error('disk I/O error'),
  );

  it('keeps the SQL, the cause and the stack of a failed query, and drops its values', () => {
    const lines: string[] = [];
    const logger = createLogger({ name: 'test', destination: { write: (l) => lines.push(l) } });
    logger.error({ err: withoutQueryParams(failed) }, 'request failed');

    expect(failed.message).toContain(csrfToken);
    const output = lines.join('');
    expect(output).not.toContain(csrfToken);
    const { err } = JSON.parse(lines[0] ?? '') as { err: Record<string, unknown> };
    expect(err).toMatchObject({
      type: 'StoreQueryError',
      message:
        'Failed query: insert into "sessions" ("id", "csrf_token") values (?, ?): disk I/O error',
    });
    expect(err.stack).toMatch(/^StoreQueryError: Failed query: .*\n\s+at /);
  });

  it('passes any other value through unchanged', () => {
    const other = new Error('boom');
    expect(withoutQueryParams(other)).toBe(other);
    expect(withoutQueryParams('text')).toBe('text');
  });
});
