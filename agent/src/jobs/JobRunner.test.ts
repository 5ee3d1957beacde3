import { randomUUID } from 'node:crypto';
import { defineJobKind, generateSigningKeyPair, type JobEnvelope } from '@plumbline/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AgentTestBed } from '../testing/agentTestBed.ts';
import type { PeerConnection } from '../testing/fakeCloudPeer.ts';
import { JobHandlerRegistry } from './JobHandlerRegistry.ts';

const countJob = defineJobKind({
  kind: 'test.count',
  params: z.object({ label: z.string() }),
  result: z.object({ label: z.string() }),
  mutates: false,
  defaultTimeoutMs: 10_000,
});
const pushJob = defineJobKind({
  kind: 'test.push',
  params: z.object({ device: z.string(), lines: z.array(z.string()) }),
  result: z.object({ applied: z.number() }),
  mutates: true,
  defaultTimeoutMs: 10_000,
});
const waitJob = defineJobKind({
  kind: 'test.wait',
  params: z.object({}),
  result: z.object({ done: z.boolean() }),
  mutates: false,
  defaultTimeoutMs: 10_000,
});
const waitPushJob = defineJobKind({ ...waitJob, kind: 'test.wait-push', mutates: true });
const progressJob = defineJobKind({
  kind: 'test.progress',
  params: z.object({}),
  result: z.object({ steps: z.number() }),
  mutates: false,
  defaultTimeoutMs: 10_000,
});
const badResultJob = defineJobKind({ ...countJob, kind: 'test.bad-result' });
const echoJob = defineJobKind({
  kind: 'test.echo',
  params: z.object({ text: z.string() }),
  result: z.object({ text: z.string() }),
  mutates: false,
  defaultTimeoutMs: 10_000,
});

/** Handlers that count their runs; the waiting ones end only when aborted or released. */
function testRegistry() {
  const runs = new Map<string, number>();
  const aborted: string[] = [];
  const release: Array<() => void> = [];
  const count = (kind: string) => runs.set(kind, (runs.get(kind) ?? 0) + 1);
  const wait = (kind: string, signal: AbortSignal) => {
    count(kind);
    return new Promise<{ done: boolean }>((resolve, reject) => {
      release.push(() => resolve({ done: true }));
      signal.addEventListener('abort', () => {
        aborted.push(kind);
        reject(signal.reason);
      });
    });
  };
  const registry = new JobHandlerRegistry()
    .register(countJob, async (params) => {
      count(countJob.kind);
      return { label: params.label };
    })
    .register(pushJob, async (params) => {
      count(pushJob.kind);
      return { applied: params.lines.length };
    })
    .register(waitJob, (_params, { signal }) => wait(waitJob.kind, signal))
    .register(waitPushJob, (_params, { signal }) => wait(waitPushJob.kind, signal))
    .register(progressJob, async (_params, { progress }) => {
      for (let step = 1; step <= 3; step++) progress(step, 3, `step ${step}`);
      return { steps: 3 };
    })
    .register(badResultJob, async () => ({ label: 42 }) as unknown as { label: string })
    .register(echoJob, async (params) => ({ text: params.text }));
  return { registry, runs, aborted, release };
}

let bed: AgentTestBed;
let seq = 0;

beforeEach(async () => {
  bed = await AgentTestBed.start();
});

afterEach(async () => {
  vi.useRealTimers();
  await bed.dispose();
});

function envelope(kind: string, params: unknown, extra: Partial<JobEnvelope> = {}): JobEnvelope {
  return {
    id: `job-${randomUUID()}`,
    seq: ++seq,
    kind,
    params,
    timeoutMs: 30_000,
    issuedAtMs: Date.now(),
    ...extra,
  };
}

async function run(connection: PeerConnection, job: JobEnvelope) {
  connection.send({ type: 'job', job });
  return connection.waitFor('job.result', (result) => result.jobId === job.id);
}

async function connectedAgent(options: Parameters<AgentTestBed['startAgent']>[0] = {}) {
  const connecting = bed.peer.nextConnection();
  const started = await bed.startAgent(options);
  const connection = await connecting;
  await started.agent.whenConnected();
  return { ...started, connection };
}

describe('running jobs', () => {
  it('acks received then started, and returns the result of noop', async () => {
    const { connection } = await connectedAgent();
    const job = envelope('noop', { payload: 'hello' });
    const result = await run(connection, job);
    expect(result).toEqual({
      type: 'job.result',
      jobId: job.id,
      outcome: { ok: true, result: { payload: 'hello' } },
      fromJournal: false,
    });
    const acks = connection.framesOf('job.ack').filter((ack) => ack.jobId === job.id);
    expect(acks.map((ack) => ack.state)).toEqual(['received', 'started']);
  });

  it('streams progress before the result, at most one frame per 250 ms plus the last step', async () => {
    const { registry } = testRegistry();
    const { connection } = await connectedAgent({ handlers: registry });
    const job = envelope(progressJob.kind, {});
    await run(connection, job);
    const progress = connection.framesOf('job.progress').filter((p) => p.jobId === job.id);
    // The handler reports three steps at once: the middle one falls inside the 250 ms.
    expect(progress.map((p) => [p.done, p.total, p.message])).toEqual([
      [1, 3, 'step 1'],
      [3, 3, 'step 3'],
    ]);
    const order = connection.received.filter((f) => 'jobId' in f && f.jobId === job.id);
    expect(order.at(-1)?.type).toBe('job.result');
  });

  it('refuses an unknown kind, invalid params and an invalid result with their codes', async () => {
    const { registry, runs } = testRegistry();
    const { connection } = await connectedAgent({ handlers: registry });
    const unknown = await run(connection, envelope('test.nope', {}));
    expect(unknown.outcome).toMatchObject({ ok: false, error: { code: 'unknown_kind' } });
    const invalid = await run(connection, envelope(countJob.kind, { label: 7 }));
    expect(invalid.outcome).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(runs.get(countJob.kind)).toBeUndefined();
    const badResult = await run(connection, envelope(badResultJob.kind, { label: 'x' }));
    expect(badResult.outcome).toMatchObject({ ok: false, error: { code: 'invalid_result' } });
  });

  it('takes params and sends a result above maxFrameBytes in chunks', async () => {
    const { registry } = testRegistry();
    const { connection } = await connectedAgent({ handlers: registry });
    const text = 'x'.repeat(3 * 1024 * 1024);
    const result = await run(connection, envelope(echoJob.kind, { text }));
    expect(result.outcome).toEqual({ ok: true, result: { text } });
  });
});

describe('signed jobs', () => {
  it('runs a mutating job signed with the pinned cloud key', async () => {
    const { registry, runs } = testRegistry();
    const { connection, agentId } = await connectedAgent({ handlers: registry });
    const job = envelope(pushJob.kind, { device: 'r1', lines: ['a', 'b'] });
    job.signature = bed.peer.signJob(job, agentId);
    expect((await run(connection, job)).outcome).toEqual({ ok: true, result: { applied: 2 } });
    expect(runs.get(pushJob.kind)).toBe(1);
  });

  it('refuses an unsigned mutating job', async () => {
    const { registry, runs } = testRegistry();
    const { connection } = await connectedAgent({ handlers: registry });
    const result = await run(connection, envelope(pushJob.kind, { device: 'r1', lines: [] }));
    expect(result.outcome).toMatchObject({ ok: false, error: { code: 'unsigned' } });
    expect(runs.get(pushJob.kind)).toBeUndefined();
  });

  it('refuses a signed job whose params were altered, or signed by another key', async () => {
    const { registry, runs } = testRegistry();
    const { connection, agentId } = await connectedAgent({ handlers: registry });
    const altered = envelope(pushJob.kind, { device: 'r1', lines: ['no shutdown'] });
    altered.signature = bed.peer.signJob(altered, agentId);
    altered.params = { device: 'r1', lines: ['shutdown'] };
    expect((await run(connection, altered)).outcome).toMatchObject({
      error: { code: 'bad_signature' },
    });

    const forged = envelope(pushJob.kind, { device: 'r1', lines: [] });
    forged.signature = bed.peer.signJob(forged, agentId, generateSigningKeyPair().secretKey);
    expect((await run(connection, forged)).outcome).toMatchObject({
      error: { code: 'bad_signature' },
    });

    const otherAgent = envelope(pushJob.kind, { device: 'r1', lines: [] });
    otherAgent.signature = bed.peer.signJob(otherAgent, 'agent-other');
    expect((await run(connection, otherAgent)).outcome).toMatchObject({
      error: { code: 'bad_signature' },
    });
    expect(runs.get(pushJob.kind)).toBeUndefined();
  });

  it('in read-only mode refuses mutating kinds, even signed, and still runs the others', async () => {
    const { registry, runs } = testRegistry();
    const { connection, agentId } = await connectedAgent({ handlers: registry, readOnly: true });
    expect((await connection.authenticated).readOnly).toBe(true);
    const push = envelope(pushJob.kind, { device: 'r1', lines: ['x'] });
    push.signature = bed.peer.signJob(push, agentId);
    expect((await run(connection, push)).outcome).toMatchObject({
      ok: false,
      error: { code: 'read_only' },
    });
    expect(runs.get(pushJob.kind)).toBeUndefined();
    const count = await run(connection, envelope(countJob.kind, { label: 'ok' }));
    expect(count.outcome).toEqual({ ok: true, result: { label: 'ok' } });
  });
});

describe('cancel and deadline', () => {
  it('cancels a running job: its signal aborts and the outcome is cancelled', async () => {
    const { registry, aborted } = testRegistry();
    const { connection, agent } = await connectedAgent({ handlers: registry });
    const job = envelope(waitJob.kind, {});
    connection.send({ type: 'job', job });
    await connection.waitFor('job.ack', (ack) => ack.jobId === job.id && ack.state === 'started');
    expect(agent.status().runningJobs).toBe(1);
    connection.send({ type: 'job.cancel', jobId: job.id, reason: 'user asked' });
    const result = await connection.waitFor('job.result', (r) => r.jobId === job.id);
    expect(result.outcome).toEqual({
      ok: false,
      error: { code: 'cancelled', message: 'cancelled by the cloud: user asked' },
    });
    expect(aborted).toEqual([waitJob.kind]);
    expect(agent.status().runningJobs).toBe(0);
  });

  it('ends a job that passes its deadline with timed_out, counted from receipt', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { registry, aborted } = testRegistry();
    const { connection } = await connectedAgent({ handlers: registry });
    const job = envelope(waitJob.kind, {}, { timeoutMs: 5_000 });
    connection.send({ type: 'job', job });
    await connection.waitFor('job.ack', (ack) => ack.jobId === job.id && ack.state === 'started');
    await vi.advanceTimersByTimeAsync(4_999);
    await connection.sync();
    expect(connection.framesOf('job.result')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const result = await connection.waitFor('job.result', (r) => r.jobId === job.id);
    expect(result.outcome).toMatchObject({ ok: false, error: { code: 'timed_out' } });
    expect(aborted).toEqual([waitJob.kind]);
  });
});

describe('the journal', () => {
  it('answers a redelivered job from the journal across an agent restart; it ran once', async () => {
    const { registry, runs } = testRegistry();
    const first = await connectedAgent({ handlers: registry });
    const job = envelope(countJob.kind, { label: 'once' });
    const original = await run(first.connection, job);
    expect(original.fromJournal).toBe(false);
    await first.agent.stop();

    const connecting = bed.peer.nextConnection();
    const second = await bed.startAgent({ stateDir: first.stateDir, handlers: registry });
    const connection = await connecting;
    await second.agent.whenConnected();
    const again = await run(connection, job);
    expect(again).toEqual({ ...original, fromJournal: true });
    expect(runs.get(countJob.kind)).toBe(1);
    expect(connection.framesOf('job.ack').filter((ack) => ack.jobId === job.id)).toEqual([]);
  });

  it('does not start a job twice when it is redelivered while still running', async () => {
    const { registry, runs, release } = testRegistry();
    const { connection } = await connectedAgent({ handlers: registry });
    const job = envelope(waitJob.kind, {});
    connection.send({ type: 'job', job });
    await connection.waitFor('job.ack', (ack) => ack.jobId === job.id && ack.state === 'started');
    connection.send({ type: 'job', job });
    await connection.sync();
    expect(runs.get(waitJob.kind)).toBe(1);
    release[0]?.();
    const result = await connection.waitFor('job.result', (r) => r.jobId === job.id);
    expect(result.outcome).toEqual({ ok: true, result: { done: true } });
    expect(connection.framesOf('job.result').filter((r) => r.jobId === job.id)).toHaveLength(1);
  });

  it('sends the result of a job that finished while the link was down when it is redelivered', async () => {
    const { registry, runs, release } = testRegistry();
    const { connection, agent, logs } = await connectedAgent({
      handlers: registry,
      timers: { random: () => 0 },
    });
    const job = envelope(waitJob.kind, {});
    connection.send({ type: 'job', job });
    await connection.waitFor('job.ack', (ack) => ack.jobId === job.id && ack.state === 'started');
    const next = bed.peer.nextConnection();
    connection.terminate();
    await logs.waitFor('tunnel down');
    release[0]?.();
    await logs.waitFor('job finished');

    const reconnected = await next;
    await agent.whenConnected();
    const result = await run(reconnected, job);
    expect(result).toMatchObject({ fromJournal: true, outcome: { ok: true } });
    expect(runs.get(waitJob.kind)).toBe(1);
  });

  it('ends a mutating job interrupted by a stop as interrupted after restart, never re-running it', async () => {
    const { registry, runs, aborted } = testRegistry();
    const first = await connectedAgent({ handlers: registry, stopGraceMs: 0 });
    const job = envelope(waitPushJob.kind, {});
    job.signature = bed.peer.signJob(job, first.agentId);
    first.connection.send({ type: 'job', job });
    await first.connection.waitFor('job.ack', (a) => a.jobId === job.id && a.state === 'started');
    await first.agent.stop();
    expect(aborted).toEqual([waitPushJob.kind]);
    expect(first.connection.framesOf('job.result')).toHaveLength(0);
    expect((await first.connection.closed).code).toBe(4004);

    const connecting = bed.peer.nextConnection();
    const second = await bed.startAgent({ stateDir: first.stateDir, handlers: registry });
    expect(second.logs.matching('jobs were running')[0]).toMatchObject({
      interrupted: [job.id],
    });
    const connection = await connecting;
    await second.agent.whenConnected();
    const result = await run(connection, job);
    expect(result).toMatchObject({
      fromJournal: true,
      outcome: { error: { code: 'interrupted' } },
    });
    expect(runs.get(waitPushJob.kind)).toBe(1);
  });

  it('runs a read-only job interrupted by a stop again after restart', async () => {
    const { registry, runs, release } = testRegistry();
    const first = await connectedAgent({ handlers: registry, stopGraceMs: 0 });
    const job = envelope(waitJob.kind, {});
    first.connection.send({ type: 'job', job });
    await first.connection.waitFor('job.ack', (a) => a.jobId === job.id && a.state === 'started');
    await first.agent.stop();

    const connecting = bed.peer.nextConnection();
    const second = await bed.startAgent({ stateDir: first.stateDir, handlers: registry });
    const connection = await connecting;
    await second.agent.whenConnected();
    connection.send({ type: 'job', job });
    await connection.waitFor('job.ack', (a) => a.jobId === job.id && a.state === 'started');
    release[1]?.();
    const result = await connection.waitFor('job.result', (r) => r.jobId === job.id);
    expect(result).toMatchObject({ fromJournal: false, outcome: { ok: true } });
    expect(runs.get(waitJob.kind)).toBe(2);
  });

  it('lets a running job finish within the stop grace period and sends its result', async () => {
    const { registry, release } = testRegistry();
    const { connection, agent } = await connectedAgent({ handlers: registry, stopGraceMs: 60_000 });
    const job = envelope(waitJob.kind, {});
    connection.send({ type: 'job', job });
    await connection.waitFor('job.ack', (a) => a.jobId === job.id && a.state === 'started');
    const stopping = agent.stop();
    const refused = envelope('noop', {});
    connection.send({ type: 'job', job: refused });
    await connection.sync();
    release[0]?.();
    const result = await connection.waitFor('job.result', (r) => r.jobId === job.id);
    expect(result.outcome).toEqual({ ok: true, result: { done: true } });
    await stopping;
    expect(connection.framesOf('job.ack').filter((a) => a.jobId === refused.id)).toEqual([]);
    expect((await connection.closed).code).toBe(4004);
  });
});
