import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors/AppError.ts';
import type { AppEnv } from './AppEnv.ts';

export const sessionCookieName = 'plumbline_session';

/**
 * Works out who is calling: an `Authorization: Bearer` API token, else the session cookie.
 * A presented credential that does not check out is refused at once; a request with none goes
 * on without a principal, and the routes that need one refuse it.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const store = c.get('store');
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw new AppError('unauthenticated', 'the Authorization header must be "Bearer <token>"');
    }
    const principal = await store.authenticateToken(match[1]);
    if (!principal) {
      throw new AppError(
        'unauthenticated',
        'API token unknown, expired or revoked; make a new one',
      );
    }
    c.set('principal', principal);
    return next();
  }

  const cookie = getCookie(c, sessionCookieName);
  const principal = cookie === undefined ? undefined : await store.authenticateSession(cookie);
  c.set('principal', principal);
  return next();
});

/** The principal, or a 401 that says how to authenticate. */
export function requirePrincipal(principal: AppEnv['Variables']['principal']) {
  if (!principal) {
    throw new AppError(
      'unauthenticated',
      'authentication required: send "Authorization: Bearer <token>" or sign in',
    );
  }
  return principal;
}
