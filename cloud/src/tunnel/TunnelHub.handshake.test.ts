import { closeReasons, generateSigningKeyPair, maxFrameBytes, signPayload } from '@plumbline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawAgent, type RawAgentIdentity } from './testing/rawAgent.ts';
import {
  startTunnelTestCloud,
  type TunnelTestCloud,
  type TunnelTestTenant,
} from './testing/startTunnelTestCloud.ts';

/** What a refused handshake must leave alone: the agents as the API shows them and the audit. */
async function storeSnapshot(test: TunnelTestCloud, tenant: TunnelTestTenant) {
  const agents = await test.cloud.store.agents().listAgents(tenant.id);
  const audit = await test.cloud.store.tenant(tenant.id).listAudit({ limit: 500 });
  return JSON.stringify({ agents, audit });
}

describe('tunnel handshake', () => {
  let test: TunnelTestCloud;
  let acme: TunnelTestTenant;
  let other: TunnelTestTenant;
  let agent: RawAgentIdentity;

  beforeAll(async () => {
    test = await startTunnelTestCloud();
    acme = await test.addTenant('acme');
    other = await test.addTenant('other');
    agent = await acme.enroll('edge-1');
  });
  afterAll(() => test.dispose());

  it('authenticates an enrolled agent, derives its tenant from the key and shows it online', async () => {
    const raw = await RawAgent.open(test.cloud.url);
    expect(raw.hello.versions).toEqual([1]);
    expect(Buffer.from(raw.hello.challenge, 'base64')).toHaveLength(32);
    raw.sendAuth(agent, (auth) => ({ ...auth, readOnly: true }));
    const welcome = await raw.next('welcome');
    expect(welcome).toMatchObject({ agentId: agent.agentId, tenantId: acme.id, version: 1 });

    const listed = await test.api(acme.adminToken, 'GET', `/api/v1/tenants/acme/agents`);
    expect(listed.json).toMatchObject({
      agents: [{ id: agent.agentId, state: 'online', readOnly: true, address: '127.0.0.1' }],
    });
    await raw.close();
  });

  it('gives each connection a fresh challenge', async () => {
    const first = await RawAgent.open(test.cloud.url);
    const second = await RawAgent.open(test.cloud.url);
    expect(first.hello.challenge).not.toBe(second.hello.challenge);
    expect(first.hello.connectionId).not.toBe(second.hello.connectionId);
    await Promise.all([first.close(), second.close()]);
  });

  const refusals: [
    string,
    keyof typeof closeReasons,
    (id: RawAgentIdentity) => RawAgentIdentity,
    ((auth: Record<string, unknown>) => Record<string, unknown>)?,
  ][] = [
    ['an unknown key', 'unknown_agent', (id) => ({ ...id, keys: generateSigningKeyPair() })],
    [
      'a signature by another key',
      'bad_signature',
      (id) => id,
      (auth) => ({ ...auth, signature: signPayload({ x: 1 }, generateSigningKeyPair().secretKey) }),
    ],
    ['a claim of another tenant', 'wrong_tenant', (id) => ({ ...id, tenantId: 'not-acme' })],
    [
      'a protocol version the cloud does not speak',
      'version_unsupported',
      (id) => id,
      (auth) => ({ ...auth, version: 99 }),
    ],
    [
      "another connection's challenge",
      'replayed',
      (id) => id,
      (auth) => ({ ...auth, challenge: Buffer.alloc(32, 7).toString('base64') }),
    ],
  ];

  for (const [what, reason, identity, tamper] of refusals) {
    it(`closes ${reason} (${closeReasons[reason]}) for ${what}, and changes nothing`, async () => {
      const before = await storeSnapshot(test, acme);
      const raw = await RawAgent.open(test.cloud.url);
      raw.sendAuth(identity(agent), tamper);
      expect(await raw.closed).toEqual({ code: closeReasons[reason], reason });
      expect(raw.all('welcome')).toEqual([]);
      expect(await storeSnapshot(test, acme)).toBe(before);
    });
  }

  it('refuses a recorded auth replayed on a new connection as replayed', async () => {
    const recorded = await RawAgent.open(test.cloud.url);
    const auth = recorded.sendAuth(agent);
    await recorded.next('welcome');
    await recorded.close();

    const before = await storeSnapshot(test, acme);
    const replay = await RawAgent.open(test.cloud.url);
    replay.send(auth);
    expect(await replay.closed).toEqual({ code: closeReasons.replayed, reason: 'replayed' });
    expect(await storeSnapshot(test, acme)).toBe(before);
  });

  it('refuses a second auth on an authenticated connection', async () => {
    const raw = await RawAgent.connect(test.cloud.url, agent);
    raw.sendAuth(agent);
    expect(await raw.closed).toEqual({
      code: closeReasons.not_authenticated,
      reason: 'not_authenticated',
    });
  });

  const hostile: [string, keyof typeof closeReasons, unknown][] = [
    ['a ping before auth', 'not_authenticated', { type: 'ping', sentAtMs: 1 }],
    [
      'a job result before auth',
      'not_authenticated',
      {
        type: 'job.result',
        jobId: 'x',
        outcome: { ok: true, result: {} },
        fromJournal: false,
      },
    ],
    ['stream data before auth', 'not_authenticated', Buffer.from([1, 0, 0, 0, 1, 42])],
    ['text that is not JSON', 'bad_frame', '{"type": "auth",'],
    ['a frame of an unknown type', 'bad_frame', { type: 'launch.missiles' }],
    ['an auth of the wrong shape', 'bad_frame', { type: 'auth', version: 'one' }],
    [
      'a chunk that does not start a frame',
      'bad_frame',
      { type: 'chunk', chunkId: 'c1', index: 1, count: 2, text: '{}' },
    ],
  ];

  for (const [what, reason, message] of hostile) {
    it(`closes ${reason} for ${what}, and changes nothing`, async () => {
      const before = await storeSnapshot(test, acme);
      const raw = await RawAgent.open(test.cloud.url);
      raw.send(message);
      expect(await raw.closed).toEqual({ code: closeReasons[reason], reason });
      expect(await storeSnapshot(test, acme)).toBe(before);
    });
  }

  it('closes 1009 for a message above maxFrameBytes before reading it, and changes nothing', async () => {
    // ws enforces maxPayload itself, with the standard code; see the note in TunnelHub.
    const before = await storeSnapshot(test, acme);
    const raw = await RawAgent.open(test.cloud.url);
    raw.send('x'.repeat(maxFrameBytes + 1));
    expect((await raw.closed).code).toBe(1009);
    expect(await storeSnapshot(test, acme)).toBe(before);
  });

  it('closes auth_timeout when no auth comes within the handshake timeout', async () => {
    const quick = await startTunnelTestCloud({ tunnel: { settings: { handshakeTimeoutMs: 50 } } });
    try {
      const raw = await RawAgent.open(quick.cloud.url);
      expect(await raw.closed).toEqual({ code: closeReasons.auth_timeout, reason: 'auth_timeout' });
    } finally {
      await quick.dispose();
    }
  });

  it('replaces the older connection when the same agent connects again', async () => {
    const first = await RawAgent.connect(test.cloud.url, agent);
    const second = await RawAgent.connect(test.cloud.url, agent);
    expect(await first.closed).toEqual({ code: closeReasons.replaced, reason: 'replaced' });
    expect(test.cloud.hub.connectionIn(acme.id, agent.agentId)?.identity.connectionId).toBe(
      second.hello.connectionId,
    );
    await second.close();
  });

  it('drops a live connection on revocation and refuses the agent afterwards', async () => {
    const doomed = await acme.enroll('doomed');
    const raw = await RawAgent.connect(test.cloud.url, doomed);
    const revoked = await test.api(
      acme.adminToken,
      'POST',
      `/api/v1/tenants/acme/agents/${doomed.agentId}/revoke`,
    );
    expect(revoked.status).toBe(200);
    expect(await raw.closed).toEqual({ code: closeReasons.revoked, reason: 'revoked' });

    const again = await RawAgent.open(test.cloud.url);
    again.sendAuth(doomed);
    expect(await again.closed).toEqual({ code: closeReasons.revoked, reason: 'revoked' });
    const shown = await test.api(
      acme.adminToken,
      'GET',
      `/api/v1/tenants/acme/agents/${doomed.agentId}`,
    );
    expect(shown.json).toMatchObject({ agent: { state: 'revoked' } });
  });

  it("does not let another tenant's admin revoke or see the agent", async () => {
    const path = `/api/v1/tenants/other/agents/${agent.agentId}`;
    expect((await test.api(other.adminToken, 'GET', path)).status).toBe(404);
    expect((await test.api(other.adminToken, 'POST', `${path}/revoke`)).status).toBe(404);
    expect((await test.api(other.adminToken, 'GET', '/api/v1/tenants/acme/agents')).status).toBe(
      404,
    );
    const raw = await RawAgent.connect(test.cloud.url, agent);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    await raw.close();
  });
});
