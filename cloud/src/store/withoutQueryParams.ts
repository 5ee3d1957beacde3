import { DrizzleQueryError } from 'drizzle-orm';

/**
 * drizzle writes every bound value of a failed query into the error's message and `params`:
 * password hashes, CSRF tokens, whatever a row holds. The log redacts by key and by a few text
 * patterns and cannot recognise those values, so a query error is logged as its SQL, the
 * driver's own message and the stack, without the values. SQLite's synchronous calls do not wrap
 * errors this way today; awaited queries and a PostgreSQL store do.
 */
export function withoutQueryParams(value: unknown): unknown {
  if (!(value instanceof DrizzleQueryError)) return value;
  const error = new StoreQueryError(`Failed query: ${value.query}`, { cause: value.cause });
  const frames = (value.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
  return error;
}

/** A failed query as it is logged: the SQL, without the values bound to it. */
class StoreQueryError extends Error {
  override readonly name = 'StoreQueryError';
}
