import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { addTenantFixture, cliActor, createTestCloud } from '../testing/createTestCloud.ts';
import { databaseFileName, Store } from './Store.ts';

describe('API token lifecycle', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the secret once on creation and never again in any answer', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const created = await cloud.request('POST', '/api/v1/tenants/acme/tokens', {
      token: t.users.admin.token,
      body: { name: 'ci', expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    const { secret, token } = created.json as { secret: string; token: { id: string } };
    expect(secret).toMatch(/^plb_[A-Za-z0-9_-]{43}$/);

    const list = await cloud.request('GET', '/api/v1/tenants/acme/tokens', { token: secret });
    const one = await cloud.request('GET', `/api/v1/tenants/acme/tokens/${token.id}`, {
      token: secret,
    });
    for (const response of [list, one]) {
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(secret);
      expect(response.text).not.toContain(secret.slice(10));
    }
    expect(one.json).toMatchObject({ token: { name: 'ci', displayPrefix: secret.slice(0, 10) } });
  });

  it('stores only a SHA-256 hash of the token in the database file, which is in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-store-'));
    dirs.push(dir);
    const store = Store.open({ dataDir: dir });
    const tenant = await store.createTenant({ slug: 'acme', displayName: 'Acme' }, cliActor);
    const user = await store.createUser({ email: 'a@acme.test', displayName: 'A' }, cliActor);
    await store.tenant(tenant.id).addMember({ email: user.email, role: 'admin' }, cliActor);
    const { secret } = await store
      .tenant(tenant.id)
      .createToken({ userId: user.id, name: 'x' }, cliActor);
    await store.close();

    const raw = new Database(join(dir, databaseFileName), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const dump = JSON.stringify(raw.prepare('select * from api_tokens').all());
    const auditDump = JSON.stringify(raw.prepare('select * from audit_events').all());
    raw.close();
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(10));
    expect(auditDump).not.toContain(secret.slice(10));
    const { createHash } = await import('node:crypto');
    expect(dump).toContain(createHash('sha256').update(secret).digest('hex'));
  });

  it('refuses a token once it has expired, with 401', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const { secret } = await cloud.store
      .tenant(t.tenantId)
      .createToken({ userId: t.users.viewer.id, name: 'short', expiresInDays: 1 }, cliActor);

    expect((await cloud.request('GET', '/api/v1/me', { token: secret })).status).toBe(200);
    cloud.clock.advance(86_400_000 - 1);
    expect((await cloud.request('GET', '/api/v1/me', { token: secret })).status).toBe(200);
    cloud.clock.advance(1);
    const expired = await cloud.request('GET', '/api/v1/me', { token: secret });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      error: {
        code: 'unauthenticated',
        message: 'API token unknown, expired or revoked; make a new one',
      },
    });
  });

  it('refuses a revoked token, and the revocation is in the audit log', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const viewer = t.users.viewer;
    const revoked = await cloud.request('DELETE', `/api/v1/tenants/acme/tokens/${viewer.tokenId}`, {
      token: t.users.admin.token,
    });
    expect(revoked.status).toBe(200);
    expect((revoked.json as { token: { revokedAt: string } }).token.revokedAt).toBe(
      '2026-06-01T00:00:00.000Z',
    );
    expect((await cloud.request('GET', '/api/v1/me', { token: viewer.token })).status).toBe(401);

    const audit = await cloud.store.tenant(t.tenantId).listAudit({ limit: 1 });
    expect(audit[0]).toMatchObject({
      action: 'token.revoked',
      objectId: viewer.tokenId,
      actor: {
        kind: 'token',
        id: t.users.admin.id,
        label: 'admin@acme.test (token "admin token")',
      },
    });
  });

  it('refuses a token whose user was removed from the tenant', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const removed = await cloud.request(
      'DELETE',
      `/api/v1/tenants/acme/members/${t.users.approver.id}`,
      {
        token: t.users.admin.token,
      },
    );
    expect(removed.status).toBe(204);
    expect(
      (await cloud.request('GET', '/api/v1/me', { token: t.users.approver.token })).status,
    ).toBe(401);
  });

  it('acts with the role the user holds now, not when the token was made', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const demoted = await cloud.request(
      'PATCH',
      `/api/v1/tenants/acme/members/${t.users.approver.id}`,
      {
        token: t.users.admin.token,
        body: { role: 'viewer' },
      },
    );
    expect(demoted.status).toBe(200);
    const me = await cloud.request('GET', '/api/v1/tenants/acme', {
      token: t.users.approver.token,
    });
    expect(me.json).toMatchObject({ role: 'viewer' });
  });

  it('records when a token was last used', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    cloud.clock.advance(5 * 60_000);
    await cloud.request('GET', '/api/v1/me', { token: t.users.viewer.token });
    const token = await cloud.store.tenant(t.tenantId).getToken(t.users.viewer.tokenId);
    expect(token.lastUsedAt).toBe(cloud.clock.nowMs);
  });

  it('refuses an unknown token and a malformed Authorization header with 401', async () => {
    const cloud = createTestCloud();
    const unknown = await cloud.request('GET', '/api/v1/me', { token: 'plb_not-a-real-token' });
    expect(unknown.status).toBe(401);
    const malformed = await cloud.app.request('/api/v1/me', {
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.status).toBe(401);
    expect(await malformed.json()).toEqual({
      error: {
        code: 'unauthenticated',
        message: 'the Authorization header must be "Bearer <token>"',
      },
    });
    const none = await cloud.request('GET', '/api/v1/tenants/acme');
    expect(none.status).toBe(401);
  });

  it('shows viewers and approvers only their own tokens, and admins every token', async () => {
    const cloud = createTestCloud();
    const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const names = async (role: 'admin' | 'approver' | 'viewer') => {
      const list = await cloud.request('GET', '/api/v1/tenants/acme/tokens', {
        token: t.users[role].token,
      });
      return (list.json as { tokens: { name: string }[] }).tokens.map((x) => x.name).sort();
    };
    expect(await names('viewer')).toEqual(['viewer token']);
    expect(await names('approver')).toEqual(['approver token']);
    expect(await names('admin')).toEqual(['admin token', 'approver token', 'viewer token']);

    const others = await cloud.request(
      'GET',
      `/api/v1/tenants/acme/tokens/${t.users.admin.tokenId}`,
      { token: t.users.viewer.token },
    );
    expect(others.status).toBe(404);
  });
});
