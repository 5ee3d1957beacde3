import { describe, expect, it } from 'vitest';
import { addTenantFixture, createTestCloud, rawDatabase } from '../testing/createTestCloud.ts';

describe('audit log', () => {
  it('records who did what to which object and when, for each change through the API', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const token = t.users.admin.token;
    cloud.clock.advance(1000);
    await cloud.request('PATCH', '/api/v1/tenants/acme', { token, body: { displayName: 'Acme' } });
    const added = await cloud.request('POST', '/api/v1/tenants/acme/members', {
      token,
      body: { email: 'ops@acme.test', role: 'approver' },
    });
    const userId = (added.json as { member: { id: string } }).member.id;
    await cloud.request('PATCH', `/api/v1/tenants/acme/members/${userId}`, {
      token,
      body: { role: 'viewer' },
    });

    const response = await cloud.request('GET', '/api/v1/tenants/acme/audit?limit=4', { token });
    const { events } = response.json as {
      events: { seq: number; action: string; objectId: string; at: string }[];
    };
    expect(events.map((e) => e.action)).toEqual([
      'member.role_changed',
      'member.added',
      'user.created',
      'tenant.renamed',
    ]);
    expect(events[0]).toMatchObject({
      objectType: 'user',
      objectId: userId,
      at: '2026-06-01T00:00:01.000Z',
      actor: { kind: 'token', id: t.users.admin.id },
      detail: { from: 'approver', to: 'viewer' },
    });

    const older = await cloud.request(
      'GET',
      `/api/v1/tenants/acme/audit?limit=2&before=${events[3]?.seq}`,
      { token },
    );
    expect((older.json as { events: { action: string }[] }).events).toHaveLength(2);
  });

  it('cannot be changed or deleted, even with SQL', async () => {
    const cloud = createTestCloud();
    await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const sqlite = rawDatabase(cloud.store);
    expect(() => sqlite.prepare("update audit_events set action = 'nothing'").run()).toThrow(
      'audit_events is append-only',
    );
    expect(() => sqlite.prepare('delete from audit_events').run()).toThrow(
      'audit_events is append-only',
    );
  });

  it('rejects a bad audit query with 400', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const response = await cloud.request('GET', '/api/v1/tenants/acme/audit?limit=100000', {
      token: t.users.admin.token,
    });
    expect(response.status).toBe(400);
    expect((response.json as { error: { message: string } }).error.message).toMatch(/^limit: /);
  });
});
