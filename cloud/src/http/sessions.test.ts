import { describe, expect, it } from 'vitest';
import {
  addTenantFixture,
  createTestCloud,
  rawDatabase,
  signIn,
  type TestCloud,
} from '../testing/createTestCloud.ts';

/** Audit events outside any tenant; no API lists them yet, so the test reads the table. */
function auditOutsideTenants(cloud: TestCloud) {
  return rawDatabase(cloud.store)
    .prepare(
      `select action, object_type as objectType, actor_label as actor from audit_events
       where tenant_id is null and object_type = 'session' order by seq`,
    )
    .all();
}

describe('sessions for the web UI', () => {
  it('sets an HTTP-only, SameSite=Strict cookie on sign-in and knows the user by it', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme');
    const session = await signIn(cloud, t.users.viewer.email, t.password);
    expect(session.status).toBe(200);
    expect(session.setCookie).toMatch(
      /^plumbline_session=[\w-]{43}; Max-Age=3600; Path=\/; HttpOnly; SameSite=Strict$/,
    );

    const me = await cloud.request('GET', '/api/v1/me', { cookie: session.cookie });
    expect(me.json).toMatchObject({
      user: { email: t.users.viewer.email },
      authenticatedBy: 'session',
      tenants: [{ slug: 'acme', role: 'viewer' }],
    });
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme');
    for (const [email, password] of [
      [t.users.viewer.email, 'not the password'],
      ['nobody@acme.test', t.password],
    ] as const) {
      const response = await cloud.request('POST', '/api/v1/session', {
        body: { email, password },
      });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({
        error: { code: 'unauthenticated', message: 'email or password is wrong' },
      });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('refuses a change made with the cookie but without the CSRF token, and changes nothing', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme');
    const session = await signIn(cloud, t.users.admin.email, t.password);
    const body = { displayName: 'Hijacked' };

    const without = await cloud.request('PATCH', '/api/v1/tenants/acme', {
      cookie: session.cookie,
      body,
    });
    expect(without.status).toBe(403);
    expect(without.json).toMatchObject({ error: { code: 'csrf_failed' } });
    const wrong = await cloud.request('PATCH', '/api/v1/tenants/acme', {
      cookie: session.cookie,
      csrfToken: 'x'.repeat(43),
      body,
    });
    expect(wrong.status).toBe(403);
    expect((await cloud.store.tenant(t.tenantId).getTenant()).displayName).toBe('Tenant acme');

    const right = await cloud.request('PATCH', '/api/v1/tenants/acme', {
      cookie: session.cookie,
      csrfToken: session.csrfToken,
      body,
    });
    expect(right.status).toBe(200);
    expect((await cloud.store.tenant(t.tenantId).getTenant()).displayName).toBe('Hijacked');
  });

  it('accepts the CSRF token from an HTML form field', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme');
    const session = await signIn(cloud, t.users.admin.email, t.password);
    const response = await cloud.request('DELETE', '/api/v1/session', {
      cookie: session.cookie,
      rawBody: `_csrf=${encodeURIComponent(session.csrfToken)}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(204);
  });

  it('ends the session on sign-out and when it expires', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme');
    const first = await signIn(cloud, t.users.viewer.email, t.password);
    const out = await cloud.request('DELETE', '/api/v1/session', {
      cookie: first.cookie,
      csrfToken: first.csrfToken,
    });
    expect(out.status).toBe(204);
    expect((await cloud.request('GET', '/api/v1/me', { cookie: first.cookie })).status).toBe(401);
    const email = t.users.viewer.email;
    expect(auditOutsideTenants(cloud)).toEqual([
      { action: 'session.created', objectType: 'session', actor: email },
      { action: 'session.ended', objectType: 'session', actor: email },
    ]);

    const second = await signIn(cloud, t.users.viewer.email, t.password);
    cloud.clock.advance(3_600_000);
    expect((await cloud.request('GET', '/api/v1/me', { cookie: second.cookie })).status).toBe(401);
  });

  it('refuses sign-in for an email after five wrong passwords, until the window passes', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme');
    const email = t.users.viewer.email;
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await cloud.request('POST', '/api/v1/session', {
        body: { email, password: `guess ${attempt}` },
      });
      expect(wrong.status).toBe(401);
    }
    const blocked = await cloud.request('POST', '/api/v1/session', {
      body: { email: email.toUpperCase(), password: t.password },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('900');
    expect(blocked.json).toEqual({
      error: { code: 'too_many_requests', message: 'too many failed sign-ins; try again in 900 s' },
    });
    expect((await signIn(cloud, t.users.admin.email, t.password)).status).toBe(200);

    cloud.clock.advance(15 * 60_000);
    expect((await signIn(cloud, email, t.password)).status).toBe(200);
  });
});
