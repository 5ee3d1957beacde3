import { createLogger } from '@plumbline/log';
import { describe, expect, it } from 'vitest';
import { addTenantFixture, createTestCloud } from '../testing/createTestCloud.ts';

describe('request log', () => {
  it('writes one line per request with its route, status, tenant and id, and no secret', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      name: 'test',
      destination: { write: (line) => lines.push(line) },
    });
    const cloud = createTestCloud({ logger });
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });

    const response = await cloud.app.request('/api/v1/tenants/acme/members', {
      headers: { authorization: `Bearer ${t.users.admin.token}`, 'x-request-id': 'trace-42' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-42');

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      msg: 'request',
      requestId: 'trace-42',
      method: 'GET',
      route: '/api/v1/tenants/:tenant/members',
      status: 200,
      tenant: 'acme',
      userId: t.users.admin.id,
    });
    expect(lines.join('')).not.toContain(t.users.admin.token);
  });

  it('makes up a request id when the caller sends none or a strange one', async () => {
    const cloud = createTestCloud();
    const response = await cloud.app.request('/healthz', {
      headers: { 'x-request-id': 'a b;c="d"' },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a user in several tenants', () => {
  it('holds a different role in each, and each is checked on its own', async () => {
    const cloud = createTestCloud();
    const a = await addTenantFixture(cloud, 'alpha');
    const b = await addTenantFixture(cloud, 'bravo', { withPasswords: false });
    await cloud.store.tenant(b.tenantId).addMember(
      { email: a.users.admin.email, role: 'viewer' },
      {
        kind: 'cli',
        id: null,
        label: 'test',
      },
    );
    const login = await cloud.request('POST', '/api/v1/session', {
      body: { email: a.users.admin.email, password: a.password },
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = login.json as { csrfToken: string };

    const me = await cloud.request('GET', '/api/v1/me', { cookie });
    expect((me.json as { tenants: unknown[] }).tenants).toMatchObject([
      { slug: 'alpha', role: 'admin' },
      { slug: 'bravo', role: 'viewer' },
    ]);
    const body = { displayName: 'Renamed' };
    expect(
      (await cloud.request('PATCH', '/api/v1/tenants/alpha', { cookie, csrfToken, body })).status,
    ).toBe(200);
    expect(
      (await cloud.request('PATCH', '/api/v1/tenants/bravo', { cookie, csrfToken, body })).status,
    ).toBe(403);
    expect((await cloud.request('GET', '/api/v1/tenants/bravo/members', { cookie })).status).toBe(
      200,
    );
  });
});
