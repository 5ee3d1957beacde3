import type { Context } from 'hono';
import { AppError } from '../errors/AppError.ts';

/** A named path parameter of the matched route; the router guarantees it, this checks it. */
export function pathParam(c: Context, name: string): string {
  const value = c.req.param(name);
  if (!value) throw new AppError('not_found', `the path has no ${name}`);
  return value;
}
