import { enrollPath, enrollResponseSchema, generateSigningKeyPair } from '@plumbline/proto';
import { describe, expect, it } from 'vitest';
import { type CliIo, runAdminCommand } from '../../cli/runAdminCommand.ts';
import { UsageError } from '../../cli/UsageError.ts';
import {
  addTenantFixture,
  createTestCloud,
  type TestCloud,
} from '../../testing/createTestCloud.ts';

async function enrollmentToken(cloud: TestCloud, adminToken: string, body: unknown = {}) {
  const made = await cloud.request('POST', '/api/v1/tenants/acme/agents/enrollment-tokens', {
    token: adminToken,
    body,
  });
  expect(made.status).toBe(201);
  return made.json as { token: string; expiresAt: string };
}

function enroll(cloud: TestCloud, token: string, publicKey = generateSigningKeyPair().publicKey) {
  return cloud.request('POST', enrollPath, {
    body: { token, publicKey, name: 'edge-1', agentVersion: '0.1.0' },
  });
}

describe('agent enrollment', () => {
  it('spends a token once: registers the key and returns the ids and the tenant signing key', async () => {
    const cloud = createTestCloud();
    const acme = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const { token, expiresAt } = await enrollmentToken(cloud, acme.users.admin.token);
    expect(Date.parse(expiresAt)).toBe(cloud.clock.nowMs + 3_600_000);

    const keys = generateSigningKeyPair();
    const first = await enroll(cloud, token, keys.publicKey);
    expect(first.status).toBe(201);
    const enrolled = enrollResponseSchema.parse(first.json);
    expect(enrolled).toMatchObject({ tenantId: acme.tenantId, tenantSlug: 'acme' });
    const signing = await cloud.store.agents().signingKeyOf(acme.tenantId, cloud.sealer);
    expect(enrolled.cloudSigningPublicKey).toBe(signing.publicKey);
    const found = await cloud.store.agents().findKey(keys.publicKey);
    expect(found?.agent).toMatchObject({ id: enrolled.agentId, tenantId: acme.tenantId });

    const again = await enroll(cloud, token);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      error: { code: 'conflict', message: expect.stringMatching(/already used/) },
    });
    const listed = await cloud.request('GET', '/api/v1/tenants/acme/agents', {
      token: acme.users.viewer.token,
    });
    expect(listed.json).toMatchObject({
      agents: [{ id: enrolled.agentId, name: 'edge-1', state: 'offline', version: '0.1.0' }],
    });
    const audit = await cloud.store.tenant(acme.tenantId).listAudit({ limit: 10 });
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(['agent.enrollment_token_created', 'agent.enrolled']),
    );
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('refuses an expired token with 403 and an unknown one with 401, and enrolls nobody', async () => {
    const cloud = createTestCloud();
    const acme = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const { token } = await enrollmentToken(cloud, acme.users.admin.token, { ttlMinutes: 5 });
    cloud.clock.advance(5 * 60_000);

    const expired = await enroll(cloud, token);
    expect(expired.status).toBe(403);
    expect(expired.json).toMatchObject({ error: { message: expect.stringMatching(/expired at/) } });
    const unknown = await enroll(cloud, 'plbe_not-a-token');
    expect(unknown.status).toBe(401);
    expect(unknown.json).toMatchObject({ error: { message: expect.stringMatching(/not known/) } });
    expect(await cloud.store.agents().listAgents(acme.tenantId)).toEqual([]);
  });

  it('refuses a public key that is not an ed25519 key, and keeps the token usable', async () => {
    const cloud = createTestCloud();
    const acme = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const { token } = await enrollmentToken(cloud, acme.users.admin.token);
    const bad = await enroll(cloud, token, Buffer.alloc(16).toString('base64'));
    expect(bad.status).toBe(400);
    expect((await enroll(cloud, token)).status).toBe(201);
  });

  it('refuses a key that is already registered to an agent', async () => {
    const cloud = createTestCloud();
    const acme = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const { publicKey } = generateSigningKeyPair();
    const first = await enrollmentToken(cloud, acme.users.admin.token);
    const second = await enrollmentToken(cloud, acme.users.admin.token);
    expect((await enroll(cloud, first.token, publicKey)).status).toBe(201);
    expect((await enroll(cloud, second.token, publicKey)).status).toBe(409);
  });

  it('lets only an admin make enrollment tokens, within one week', async () => {
    const cloud = createTestCloud();
    const acme = await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const path = '/api/v1/tenants/acme/agents/enrollment-tokens';
    const asViewer = await cloud.request('POST', path, {
      token: acme.users.viewer.token,
      body: {},
    });
    expect(asViewer.status).toBe(403);
    const tooLong = await cloud.request('POST', path, {
      token: acme.users.admin.token,
      body: { ttlMinutes: 7 * 24 * 60 + 1 },
    });
    expect(tooLong.status).toBe(400);
  });
});

describe('admin create-enrollment-token', () => {
  it('prints a token on stdout alone that enrolls an agent over the API', async () => {
    const cloud = createTestCloud();
    await addTenantFixture(cloud, 'acme', { withPasswords: false });
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (line) => void out.push(line),
      err: (line) => void err.push(line),
      readStdin: async () => '',
    };
    const args = ['create-enrollment-token', '--tenant', 'acme', '--ttl-minutes', '30'];
    await runAdminCommand(args, cloud.store, io);
    expect(out).toHaveLength(1);
    expect(err.join('\n')).toMatch(/enrolls one agent and expires 2026-06-01T00:30:00.000Z/);
    expect((await enroll(cloud, out[0] ?? '')).status).toBe(201);

    await expect(
      runAdminCommand(
        ['create-enrollment-token', '--tenant', 'acme', '--ttl-minutes', '0'],
        cloud.store,
        io,
      ),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      runAdminCommand(['create-enrollment-token', '--tenant', 'nope'], cloud.store, io),
    ).rejects.toThrow(/nope/);
  });
});
