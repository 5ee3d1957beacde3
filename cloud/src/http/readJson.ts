import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../errors/AppError.ts';
import { describeZodError } from '../errors/describeZodError.ts';

/**
 * The request body as JSON, validated by `schema`. The size was bounded before (see
 * `createApp`); here a wrong content type, text that is not JSON, or a value of the wrong shape
 * each gets a 4xx that says which, before any handler acts on it.
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError(
      'unsupported_media_type',
      `expected a JSON body with "Content-Type: application/json", got "${type || 'none'}"`,
    );
  }

  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }

  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('bad_request', describeZodError(parsed.error, 'body'));
  return parsed.data;
}
