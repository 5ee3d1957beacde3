import type { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { LoginThrottle } from '../../auth/LoginThrottle.ts';
import { AppError } from '../../errors/AppError.ts';
import type { Principal } from '../../store/records.ts';
import type { Store } from '../../store/Store.ts';
import type { AppEnv } from '../AppEnv.ts';
import { requirePrincipal, sessionCookieName } from '../authenticate.ts';
import { readJson } from '../readJson.ts';
import { tenantView, userView } from '../views.ts';

const loginBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(1024),
});

export interface SessionSettings {
  ttlMs: number;
  secureCookies: boolean;
  /** The clock the sign-in throttle counts its window on. */
  now: () => number;
}

/** Sign in and out for the web UI, and `me` for any caller. */
export function addSessionRoutes(app: Hono<AppEnv>, settings: SessionSettings): void {
  const throttle = new LoginThrottle({ now: settings.now });
  app.post('/api/v1/session', async (c) => {
    const { email, password } = await readJson(c, loginBody);
    const waitMs = throttle.retryAfterMs(email);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      c.header('retry-after', String(seconds));
      throw new AppError(
        'too_many_requests',
        `too many failed sign-ins; try again in ${seconds} s`,
      );
    }
    const user = await c.var.store.verifyLogin(email, password);
    if (!user) {
      throttle.recordFailure(email);
      c.var.logger.warn({ email }, 'sign-in failed');
      throw new AppError('unauthenticated', 'email or password is wrong');
    }
    throttle.recordSuccess(email);

    const session = await c.var.store.createSession(user, settings.ttlMs);
    setCookie(c, sessionCookieName, session.secret, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: settings.secureCookies,
      path: '/',
      maxAge: Math.floor(settings.ttlMs / 1000),
    });
    c.var.logger.info({ userId: user.id }, 'signed in');
    return c.json({
      user: userView(user),
      csrfToken: session.csrfToken,
      expiresAt: new Date(session.expiresAt).toISOString(),
    });
  });

  app.delete('/api/v1/session', async (c) => {
    const principal = c.var.principal;
    if (principal?.kind === 'session') {
      await c.var.store.deleteSession(principal.sessionId, principal.user);
    }
    deleteCookie(c, sessionCookieName, { path: '/', secure: settings.secureCookies });
    return c.body(null, 204);
  });

  app.get('/api/v1/me', async (c) => {
    const principal = requirePrincipal(c.var.principal);
    return c.json({
      user: userView(principal.user),
      authenticatedBy: principal.kind,
      tenants: await visibleTenants(principal, c.var.store),
    });
  });

  app.get('/api/v1/tenants', async (c) => {
    const principal = requirePrincipal(c.var.principal);
    return c.json({ tenants: await visibleTenants(principal, c.var.store) });
  });
}

/** A session sees every tenant of its user; a token only the tenant it was made in. */
async function visibleTenants(principal: Principal, store: Store) {
  const memberships = await store.membershipsOf(principal.user.id);
  return memberships
    .filter((m) => principal.kind === 'session' || m.tenant.id === principal.tenantId)
    .map((m) => ({ ...tenantView(m.tenant), role: m.role }));
}
