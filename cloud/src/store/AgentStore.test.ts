import { randomUUID } from 'node:crypto';
import { generateSigningKeyPair, keyIdOf } from '@plumbline/proto';
import { describe, expect, it } from 'vitest';
import { Sealer } from '../secrets/Sealer.ts';
import { cliActor, rawDatabase } from '../testing/createTestCloud.ts';
import type { AgentStore } from './AgentStore.ts';
import { Store } from './Store.ts';

async function setUp() {
  const store = Store.open({ dataDir: ':memory:' });
  const agents = store.agents();
  const tenantA = await store.createTenant({ slug: 'a', displayName: 'A' }, cliActor);
  const tenantB = await store.createTenant({ slug: 'b', displayName: 'B' }, cliActor);
  return { store, agents, tenantA, tenantB };
}

async function enrolled(agents: AgentStore, tenantId: string, name = 'edge') {
  const { token } = await agents.createEnrollmentToken(tenantId, 3_600_000, cliActor);
  const keys = generateSigningKeyPair();
  const { agent } = await agents.enroll({
    token,
    publicKey: keys.publicKey,
    name,
    agentVersion: '1',
  });
  return { agent, keys };
}

function newJob(overrides: Partial<{ timeoutMs: number; deadlineAt: number }> = {}) {
  return {
    id: randomUUID(),
    kind: 'noop',
    params: { n: 1 },
    signature: undefined,
    timeoutMs: overrides.timeoutMs ?? 1_000,
    deadlineAt: overrides.deadlineAt ?? Date.now() + 60_000,
  };
}

describe('AgentStore', () => {
  it('stores only the SHA-256 of an enrollment token and only the sealed signing secret', async () => {
    const { store, agents, tenantA } = await setUp();
    const { token } = await agents.createEnrollmentToken(tenantA.id, 60_000, cliActor);
    const sealer = Sealer.ephemeral();
    const pair = await agents.signingKeyOf(tenantA.id, sealer);
    expect(await agents.signingKeyOf(tenantA.id, sealer)).toEqual(pair);

    const db = rawDatabase(store);
    const dump = JSON.stringify([
      db.prepare('select * from enrollment_tokens').all(),
      db.prepare('select * from tenant_signing_keys').all(),
    ]);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(pair.secretKey);
    expect(dump).toContain('sealed.v1.');
    await expect(agents.signingKeyOf(tenantA.id, Sealer.ephemeral())).rejects.toThrow();
  });

  it('numbers jobs per agent from 1 upwards, whatever other agents do', async () => {
    const { agents, tenantA } = await setUp();
    const one = (await enrolled(agents, tenantA.id, 'one')).agent;
    const two = (await enrolled(agents, tenantA.id, 'two')).agent;
    const seqs = [];
    for (const agent of [one, two, one, one, two]) {
      seqs.push((await agents.enqueueJob(tenantA.id, agent.id, newJob(), cliActor)).seq);
    }
    expect(seqs).toEqual([1, 1, 2, 3, 2]);
    const pending = await agents.unfinishedJobs(tenantA.id, one.id);
    expect(pending.map((job) => job.seq)).toEqual([1, 2, 3]);
  });

  it('moves a job only forward, and keeps the first outcome', async () => {
    const { agents, tenantA } = await setUp();
    const { agent } = await enrolled(agents, tenantA.id);
    const job = await agents.enqueueJob(tenantA.id, agent.id, newJob(), cliActor);

    expect(await agents.advanceJob(tenantA.id, agent.id, job.id, 'running')).toBe(true);
    expect(await agents.advanceJob(tenantA.id, agent.id, job.id, 'delivered')).toBe(false);
    expect((await agents.getJob(tenantA.id, job.id)).state).toBe('running');

    const first = { ok: false, error: { code: 'cancelled', message: 'x' } };
    expect(
      await agents.finishJob(tenantA.id, job.id, { state: 'cancelled', outcome: first }),
    ).toMatchObject({ state: 'cancelled', outcome: first });
    const late = { ok: true, result: {} };
    expect(
      await agents.finishJob(tenantA.id, job.id, {
        agentId: agent.id,
        state: 'succeeded',
        outcome: late,
      }),
    ).toBeUndefined();
    expect(await agents.getJob(tenantA.id, job.id)).toMatchObject({ state: 'cancelled' });
  });

  it("finds nothing of tenant A's through tenant B's id, and changes nothing there", async () => {
    const { agents, tenantA, tenantB } = await setUp();
    const { agent } = await enrolled(agents, tenantA.id);
    const job = await agents.enqueueJob(tenantA.id, agent.id, newJob(), cliActor);

    await expect(agents.getAgent(tenantB.id, agent.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(agents.getJob(tenantB.id, job.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(agents.revokeAgent(tenantB.id, agent.id, cliActor)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(agents.enqueueJob(tenantB.id, agent.id, newJob(), cliActor)).rejects.toMatchObject(
      { code: 'not_found' },
    );
    expect(await agents.advanceJob(tenantB.id, agent.id, job.id, 'running')).toBe(false);
    expect(
      await agents.finishJob(tenantB.id, job.id, { state: 'cancelled', outcome: {} }),
    ).toBeUndefined();
    expect(await agents.listAgents(tenantB.id)).toEqual([]);
    expect(await agents.getJob(tenantA.id, job.id)).toMatchObject({ state: 'queued' });
    expect((await agents.getAgent(tenantA.id, agent.id)).revokedAt).toBeNull();
  });

  it('keeps at most two valid keys and retires the older once the newer is used', async () => {
    const { agents, tenantA } = await setUp();
    const { agent, keys } = await enrolled(agents, tenantA.id);
    const second = generateSigningKeyPair();
    await agents.addKey(tenantA.id, agent.id, second.publicKey);
    await expect(
      agents.addKey(tenantA.id, agent.id, generateSigningKeyPair().publicKey),
    ).rejects.toMatchObject({ code: 'conflict' });

    expect(await agents.retireKeysOlderThan(tenantA.id, agent.id, keyIdOf(keys.publicKey))).toBe(0);
    expect(await agents.retireKeysOlderThan(tenantA.id, agent.id, keyIdOf(second.publicKey))).toBe(
      1,
    );
    const valid = await agents.validKeys(tenantA.id, agent.id);
    expect(valid.map((key) => key.publicKey)).toEqual([second.publicKey]);
    expect((await agents.findKey(keys.publicKey))?.key.retiredAt).not.toBeNull();
  });

  it('finds overdue unfinished jobs and the next deadline across tenants', async () => {
    const { agents, tenantA, tenantB } = await setUp();
    const a = (await enrolled(agents, tenantA.id)).agent;
    const b = (await enrolled(agents, tenantB.id)).agent;
    const early = await agents.enqueueJob(
      tenantA.id,
      a.id,
      newJob({ deadlineAt: 1_000 }),
      cliActor,
    );
    const late = await agents.enqueueJob(tenantB.id, b.id, newJob({ deadlineAt: 5_000 }), cliActor);
    expect(await agents.nextDeadline()).toBe(1_000);
    expect((await agents.overdueJobs(4_999, 10)).map((job) => job.id)).toEqual([early.id]);
    await agents.finishJob(tenantA.id, early.id, { state: 'timed_out', outcome: {} });
    expect(await agents.nextDeadline()).toBe(5_000);
    expect((await agents.overdueJobs(5_000, 10)).map((job) => job.id)).toEqual([late.id]);
  });
});
