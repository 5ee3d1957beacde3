import { defineJobKind, type JobSigningPayload, noopJob, verifyPayload } from '@plumbline/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { maxUnfinishedJobsPerAgent } from '../store/AgentStore.ts';
import { RawAgent, type RawAgentIdentity } from './testing/rawAgent.ts';
import {
  startTunnelTestCloud,
  type TunnelTestCloud,
  type TunnelTestTenant,
} from './testing/startTunnelTestCloud.ts';

/** A round trip the hub answers, so every frame it sent before has arrived. */
async function settlePing(raw: RawAgent): Promise<void> {
  const pongs = raw.all('pong').length;
  raw.send({ type: 'ping', sentAtMs: 1 });
  await raw.next('pong', pongs);
}

const pushJob = defineJobKind({
  kind: 'test.push',
  params: z.object({ device: z.string(), lines: z.array(z.string()) }),
  result: z.object({ applied: z.number().int() }),
  mutates: true,
  defaultTimeoutMs: 60_000,
});

describe('jobs over the tunnel', () => {
  let test: TunnelTestCloud;
  let acme: TunnelTestTenant;
  let other: TunnelTestTenant;
  let agent: RawAgentIdentity;
  const open: RawAgent[] = [];

  const connect = async (identity = agent) => {
    const raw = await RawAgent.connect(test.cloud.url, identity);
    open.push(raw);
    return raw;
  };

  beforeAll(async () => {
    test = await startTunnelTestCloud();
    acme = await test.addTenant('acme');
    other = await test.addTenant('other');
    agent = await acme.enroll('edge-1');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((raw) => raw.close()));
  });
  afterAll(() => test.dispose());

  it('delivers, then stores ack, start, progress and the result, and wait returns it', async () => {
    const raw = await connect();
    const hub = test.cloud.hub;
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, { payload: 'hi' });
    const delivered = await raw.next('job');
    expect(delivered.job).toMatchObject({ id: jobId, kind: 'noop', params: { payload: 'hi' } });
    expect(delivered.job.signature).toBeUndefined();
    expect((await hub.jobs.get(acme.id, jobId)).state).toBe('delivered');

    const progress: unknown[] = [];
    const outcome = hub.jobs.wait(acme.id, jobId, { onProgress: (p) => progress.push(p) });
    raw.send({ type: 'job.ack', jobId, state: 'received' });
    raw.send({ type: 'job.ack', jobId, state: 'started' });
    raw.send({ type: 'job.progress', jobId, done: 1, total: 2, message: 'half' });
    raw.send({
      type: 'job.result',
      jobId,
      outcome: { ok: true, result: { payload: 'hi' } },
      fromJournal: false,
    });

    expect(await outcome).toEqual({ ok: true, result: { payload: 'hi' } });
    expect(progress).toEqual([{ done: 1, total: 2, message: 'half' }]);
    const stored = await hub.jobs.get(acme.id, jobId);
    expect(stored).toMatchObject({
      state: 'succeeded',
      progress: { done: 1, total: 2, message: 'half' },
      outcome: { ok: true, result: { payload: 'hi' } },
    });
    const base = '/api/v1/tenants/acme';
    const one = await test.api(acme.adminToken, 'GET', `${base}/jobs/${jobId}`);
    expect(one.json).toMatchObject({ job: { outcome: { ok: true, result: { payload: 'hi' } } } });
    const list = await test.api(
      acme.adminToken,
      'GET',
      `${base}/agents/${agent.agentId}/jobs?state=succeeded`,
    );
    expect(list.json).toMatchObject({ jobs: [{ id: jobId, outcome: { ok: true } }] });
    expect(JSON.stringify(list.json)).not.toContain('"payload"');
  });

  it('delivers queued jobs in seq order when the agent connects', async () => {
    const hub = test.cloud.hub;
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, { payload: `${i}` })).jobId,
      );
    }
    expect((await hub.jobs.get(acme.id, ids[0] ?? '')).state).toBe('queued');
    const raw = await connect();
    await raw.next('job', 2);
    const jobs = raw.all('job').map((frame) => frame.job);
    expect(jobs.map((job) => job.id)).toEqual(ids);
    expect(jobs.map((job) => job.seq)).toEqual(
      [...jobs.map((job) => job.seq)].sort((a, b) => a - b),
    );
    for (const id of ids) {
      raw.send({
        type: 'job.result',
        jobId: id,
        outcome: { ok: true, result: {} },
        fromJournal: false,
      });
    }
    for (const id of ids) await hub.jobs.wait(acme.id, id);
  });

  it('redelivers an acknowledged job without an outcome after the link is cut', async () => {
    const hub = test.cloud.hub;
    const first = await connect();
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
    await first.next('job');
    first.send({ type: 'job.ack', jobId, state: 'started' });
    await vi.waitFor(async () =>
      expect((await hub.jobs.get(acme.id, jobId)).state).toBe('running'),
    );
    await first.cut();

    const second = await connect();
    const again = await second.next('job');
    expect(again.job.id).toBe(jobId);
    second.send({
      type: 'job.result',
      jobId,
      outcome: { ok: true, result: {} },
      fromJournal: true,
    });
    expect(await hub.jobs.wait(acme.id, jobId)).toEqual({ ok: true, result: {} });
  });

  it('signs a mutating job with the tenant key the agent pinned at enrollment', async () => {
    const raw = await connect();
    const params = { device: 'core-1', lines: ['hostname core-1'] };
    const { jobId } = await test.cloud.hub.jobs.enqueue(acme.id, agent.agentId, pushJob, params);
    const { job } = await raw.next('job');
    const payload: JobSigningPayload = {
      purpose: 'plumbline.job.v1',
      jobId,
      agentId: agent.agentId,
      tenantId: acme.id,
      kind: 'test.push',
      params: job.params,
    };
    expect(verifyPayload(payload, job.signature ?? '', agent.cloudSigningPublicKey)).toBe(true);
    const altered = { ...payload, params: { ...params, lines: ['reload'] } };
    expect(verifyPayload(altered, job.signature ?? '', agent.cloudSigningPublicKey)).toBe(false);
    await test.cloud.hub.jobs.cancel(acme.id, jobId);
  });

  it("turns a result that does not match its kind's schema into invalid_result", async () => {
    const raw = await connect();
    const params = { device: 'core-1', lines: [] };
    const { jobId } = await test.cloud.hub.jobs.enqueue(acme.id, agent.agentId, pushJob, params);
    await raw.next('job');
    raw.send({
      type: 'job.result',
      jobId,
      outcome: { ok: true, result: { applied: 'all' } },
      fromJournal: false,
    });
    const outcome = await test.cloud.hub.jobs.wait(acme.id, jobId);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_result' } });
    expect((await test.cloud.hub.jobs.get(acme.id, jobId)).state).toBe('failed');
  });

  it('refuses params that do not match the kind and stores nothing', async () => {
    const before = await test.cloud.store
      .agents()
      .listJobs(acme.id, agent.agentId, { limit: 1000 });
    await expect(
      test.cloud.hub.jobs.enqueue(acme.id, agent.agentId, pushJob, { device: 1 } as never),
    ).rejects.toThrow(/params for a test.push job are not valid at device/);
    const after = await test.cloud.store.agents().listJobs(acme.id, agent.agentId, { limit: 1000 });
    expect(after).toEqual(before);
  });

  it('cancels a delivered job: the agent hears job.cancel and a late result changes nothing', async () => {
    const raw = await connect();
    const hub = test.cloud.hub;
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
    await raw.next('job');
    const waiting = hub.jobs.wait(acme.id, jobId);
    await hub.jobs.cancel(acme.id, jobId);
    expect(await raw.next('job.cancel')).toMatchObject({ jobId });
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'cancelled' } });

    raw.send({ type: 'job.result', jobId, outcome: { ok: true, result: {} }, fromJournal: false });
    raw.send({ type: 'ping', sentAtMs: 1 });
    await raw.next('pong');
    expect(await hub.jobs.get(acme.id, jobId)).toMatchObject({ state: 'cancelled' });
  });

  it('tells a reconnecting agent to stop a job cancelled while it was offline', async () => {
    const hub = test.cloud.hub;
    const first = await connect();
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
    await first.next('job');
    await first.cut();
    await expect.poll(() => hub.connectionIn(acme.id, agent.agentId)).toBeUndefined();
    await hub.jobs.cancel(acme.id, jobId);

    const second = await connect();
    expect(await second.next('job.cancel')).toMatchObject({ jobId, reason: 'cancelled' });
    await settlePing(second);
    expect(second.all('job').map((frame) => frame.job.id)).not.toContain(jobId);
  });

  it('ends the unfinished jobs of a revoked agent as cancelled and tells their waiters', async () => {
    const doomed = await acme.enroll('doomed');
    const hub = test.cloud.hub;
    const { jobId } = await hub.jobs.enqueue(acme.id, doomed.agentId, noopJob, {});
    const waiting = hub.jobs.wait(acme.id, jobId);
    await hub.revoke(acme.id, doomed.agentId, { kind: 'cli', id: null, label: 'test' });
    expect(await waiting).toMatchObject({
      ok: false,
      error: { code: 'cancelled', message: 'agent doomed was revoked by test' },
    });
    expect((await hub.jobs.get(acme.id, jobId)).state).toBe('cancelled');
    await expect(hub.jobs.enqueue(acme.id, doomed.agentId, noopJob, {})).rejects.toThrow(
      /is revoked/,
    );
  });

  it('stops waiting when the signal aborts, without touching the job', async () => {
    const hub = test.cloud.hub;
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
    const controller = new AbortController();
    const waiting = hub.jobs.wait(acme.id, jobId, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect((await hub.jobs.get(acme.id, jobId)).state).toBe('queued');
    await hub.jobs.cancel(acme.id, jobId);
  });

  it("ignores a result sent by another agent for this agent's job", async () => {
    const intruder = await acme.enroll('intruder');
    const hub = test.cloud.hub;
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
    const raw = await connect(intruder);
    raw.send({ type: 'job.result', jobId, outcome: { ok: true, result: {} }, fromJournal: false });
    raw.send({ type: 'ping', sentAtMs: 1 });
    await raw.next('pong');
    expect((await hub.jobs.get(acme.id, jobId)).state).toBe('queued');
    await hub.jobs.cancel(acme.id, jobId);
  });

  it("keeps tenant B away from tenant A's jobs and agents through the hub and HTTP", async () => {
    const hub = test.cloud.hub;
    const raw = await connect();
    const { jobId } = await hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
    await raw.next('job');

    await expect(hub.jobs.get(other.id, jobId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(hub.jobs.cancel(other.id, jobId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(hub.jobs.wait(other.id, jobId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(hub.jobs.enqueue(other.id, agent.agentId, noopJob, {})).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(hub.fetchVia(other.id, agent.agentId)('http://x/')).rejects.toMatchObject({
      code: 'agent_offline',
    });
    for (const [method, path] of [
      ['GET', `/api/v1/tenants/other/jobs/${jobId}`],
      ['POST', `/api/v1/tenants/other/jobs/${jobId}/cancel`],
      ['GET', `/api/v1/tenants/other/agents/${agent.agentId}/jobs`],
    ] as const) {
      expect((await test.api(other.adminToken, method, path)).status).toBe(404);
    }
    expect((await hub.jobs.get(acme.id, jobId)).state).toBe('delivered');

    const listed = await test.api(
      acme.adminToken,
      'GET',
      `/api/v1/tenants/acme/agents/${agent.agentId}/jobs?state=delivered`,
    );
    expect(listed.json).toMatchObject({ jobs: [{ id: jobId, state: 'delivered', kind: 'noop' }] });
    const cancelled = await test.api(
      acme.adminToken,
      'POST',
      `/api/v1/tenants/acme/jobs/${jobId}/cancel`,
    );
    expect(cancelled.json).toMatchObject({ job: { state: 'cancelled' } });
  });

  it(`refuses a job beyond ${maxUnfinishedJobsPerAgent} unfinished ones for an agent`, async () => {
    const busy = await acme.enroll('busy');
    const hub = test.cloud.hub;
    for (let i = 0; i < maxUnfinishedJobsPerAgent; i++) {
      await hub.jobs.enqueue(acme.id, busy.agentId, noopJob, {});
    }
    await expect(hub.jobs.enqueue(acme.id, busy.agentId, noopJob, {})).rejects.toThrow(
      /already has 1000 unfinished jobs/,
    );
  });
});

describe('jobs across a cloud restart', () => {
  it('redelivers a job stored before the restart and records its result after', async () => {
    const first = await startTunnelTestCloud();
    const acme = await first.addTenant('acme');
    const agent = await acme.enroll('edge');
    const { jobId } = await first.cloud.hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {
      payload: 'kept',
    });
    await first.stop();

    const second = await startTunnelTestCloud({ dataDir: first.dataDir });
    try {
      const raw = await RawAgent.connect(second.cloud.url, agent);
      const { job } = await raw.next('job');
      expect(job).toMatchObject({ id: jobId, params: { payload: 'kept' } });
      raw.send({
        type: 'job.result',
        jobId,
        outcome: { ok: true, result: { payload: 'kept' } },
        fromJournal: false,
      });
      expect(await second.cloud.hub.jobs.wait(acme.id, jobId)).toEqual({
        ok: true,
        result: { payload: 'kept' },
      });
      await raw.close();
    } finally {
      await second.stop();
      await first.dispose();
    }
  });
});

describe('job deadlines', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('marks a job timed_out at its deadline on the injected clock and cancels it on the agent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = { nowMs: Date.parse('2026-06-01T00:00:00Z') };
    const test = await startTunnelTestCloud({
      tunnel: { now: () => clock.nowMs, settings: { jobDeliveryAllowanceMs: 5_000 } },
    });
    try {
      const acme = await test.addTenant('acme');
      const agent = await acme.enroll('slow');
      const raw = await RawAgent.connect(test.cloud.url, agent);
      const { jobId } = await test.cloud.hub.jobs.enqueue(
        acme.id,
        agent.agentId,
        noopJob,
        {},
        {
          timeoutMs: 1_000,
        },
      );
      await raw.next('job');
      const job = await test.cloud.hub.jobs.get(acme.id, jobId);
      expect(job.deadlineAt).toBe(clock.nowMs + 6_000);

      clock.nowMs += 5_999;
      await vi.advanceTimersByTimeAsync(5_999);
      expect((await test.cloud.hub.jobs.get(acme.id, jobId)).state).toBe('delivered');

      clock.nowMs += 1;
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(async () =>
        expect((await test.cloud.hub.jobs.get(acme.id, jobId)).state).toBe('timed_out'),
      );
      expect(await test.cloud.hub.jobs.wait(acme.id, jobId)).toMatchObject({
        ok: false,
        error: { code: 'timed_out' },
      });
      expect(await raw.next('job.cancel')).toMatchObject({ jobId, reason: 'deadline passed' });
      await raw.close();
    } finally {
      await test.dispose();
    }
  });
});
