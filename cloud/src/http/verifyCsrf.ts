import { timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors/AppError.ts';
import type { AppEnv } from './AppEnv.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
export const csrfHeaderName = 'x-csrf-token';
export const csrfFormField = '_csrf';

/**
 * Requests authenticated by the session cookie that change something must carry the session's
 * CSRF token, in the `X-CSRF-Token` header or, for HTML forms, the `_csrf` field. A page on
 * another site can make the browser send the cookie, but it cannot read the token. Requests with
 * an API token carry no ambient credential and need no CSRF token.
 */
export const verifyCsrf = createMiddleware<AppEnv>(async (c, next) => {
  const principal = c.get('principal');
  if (principal?.kind !== 'session' || safeMethods.has(c.req.method)) return next();

  const presented = c.req.header(csrfHeaderName) ?? (await formField(c.req.raw.clone()));
  if (presented === undefined || !sameSecret(presented, principal.csrfToken)) {
    throw new AppError(
      'csrf_failed',
      `a change made with a session cookie needs the session's CSRF token in ${csrfHeaderName}`,
    );
  }
  return next();
});

async function formField(request: Request): Promise<string | undefined> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const value = (await request.formData()).get(csrfFormField);
  return typeof value === 'string' ? value : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
