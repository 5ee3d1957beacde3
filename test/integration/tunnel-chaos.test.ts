import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollAgent, JobHandlerRegistry, type RunningAgent, startAgent } from '@plumbline/agent';
import type { RunningCloud } from '@plumbline/cloud';
import { createLogger } from '@plumbline/log';
import { defineJobKind, type JobOutcome } from '@plumbline/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addTenantAdmin, type TenantAdmin } from '../support/addTenantAdmin.ts';
import { ChaosProxy } from '../support/ChaosProxy.ts';
import { createEnrollmentToken } from '../support/createEnrollmentToken.ts';
import { seededRandom } from '../support/seededRandom.ts';
import { startCloudAt } from '../support/startCloudAt.ts';
import { waitFor } from '../support/waitFor.ts';

/**
 * The tunnel's delivery promise under a bad network: a real cloud and a real agent, connected
 * through a ChaosProxy that cuts the link again and again (with a reset, mid-frame in either
 * direction, as a black hole the liveness deadline must notice, while refusing reconnects,
 * while delaying), with the cloud restarted once and the agent restarted once on the same data.
 * Every job must end well, and no job may run twice: the handler counts its executions in
 * this process, which is where the agent runs.
 *
 * Chaos is paced by progress, not by the clock: each action waits until a few more jobs have
 * run. The seed fixes the proxy's cut points and the handler's run times.
 *
 * Not covered here: an agent that crashes (it is stopped gracefully and finishes its running
 * jobs), and a cloud killed without its drain. A mutating job running when the agent crashes
 * ends `interrupted` by design, so that case cannot end with every job successful.
 */
const seed = 20_261_204;
const totalJobs = 500;

/** A mutating kind, so it is signed by the cloud and must never run twice. */
const countedJob = defineJobKind({
  kind: 'test.chaos-counted',
  params: z.object({ index: z.number().int().nonnegative(), workMs: z.number().int().min(0) }),
  result: z.object({ index: z.number().int() }),
  mutates: true,
  defaultTimeoutMs: 30_000,
});

/** Short liveness and backoff, so a dead link is noticed and mended in well under a second. */
const cloudSettings = {
  pingIntervalMs: 150,
  deadPeerMs: 900,
  handshakeTimeoutMs: 2_000,
  drainSpreadMs: 200,
  drainGraceMs: 1_000,
};
const agentTunnel = {
  pingIntervalMs: 150,
  deadPeerMs: 900,
  upgradeTimeoutMs: 2_000,
  backoffBaseMs: 20,
  backoffCapMs: 300,
  refusedBackoffCapMs: 1_000,
  stableAfterMs: 2_000,
  closeTimeoutMs: 300,
};

describe('the tunnel under chaos', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunnel-chaos-'));
  const logger = createLogger({
    name: 'tunnel-chaos',
    level: process.env.TUNNEL_CHAOS_LOG_LEVEL ?? 'silent',
  });
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every one of 500 jobs exactly once through cuts and a restart of each side', async () => {
    const executions = new Map<number, number>();
    let executed = 0;
    const random = seededRandom(seed);
    const handlers = new JobHandlerRegistry().register(countedJob, async (params, context) => {
      executions.set(params.index, (executions.get(params.index) ?? 0) + 1);
      executed++;
      await new Promise((resolve) => setTimeout(resolve, params.workMs));
      context.signal.throwIfAborted();
      return { index: params.index };
    });

    const cloudDir = join(dir, 'cloud');
    const stateDir = join(dir, 'agent');
    const tunnel = { settings: cloudSettings, jobKinds: [countedJob] };
    let cloud: RunningCloud = await startCloudAt(cloudDir, logger, { tunnel });
    stops.push(() => cloud.stop());
    const proxy = await ChaosProxy.start({ targetPort: Number(new URL(cloud.url).port), seed });
    stops.push(() => proxy.close());
    const tenant: TenantAdmin = await addTenantAdmin(cloud.store, 'chaos');
    const token = await createEnrollmentToken(cloud.url, tenant);
    const { agentId } = await enrollAgent({ cloudUrl: proxy.url(), token, stateDir });
    // Enrollment's keep-alive HTTP connection would otherwise linger among the tunnel's.
    proxy.cutAll();
    const startTheAgent = () =>
      startAgent({
        stateDir,
        logger,
        handlers,
        healthPort: false,
        tunnel: agentTunnel,
        maxConcurrentJobs: 8,
        stopGraceMs: 10_000,
      });
    let agent: RunningAgent = await startTheAgent();
    stops.push(() => agent.stop());
    await agent.whenConnected();

    const jobIds: string[] = [];
    const enqueue = async (from: number, count: number) => {
      for (let index = from; index < from + count; index++) {
        const params = { index, workMs: random.intBetween(5, 30) };
        const { jobId } = await cloud.hub.jobs.enqueue(
          tenant.tenantId,
          agentId,
          countedJob,
          params,
        );
        jobIds[index] = jobId;
      }
    };
    const afterMoreRuns = (more: number) => {
      const target = Math.min(executed + more, totalJobs);
      return waitFor(`${target} executions (at ${executed})`, () => executed >= target);
    };
    const reconnected = async (accepted: number) => {
      await waitFor('the agent to reconnect through the proxy', () => {
        return proxy.stats().accepted > accepted && agent.status().connected;
      });
    };
    const cutAndAwaitReconnect = async (cut: () => unknown) => {
      const accepted = proxy.stats().accepted;
      await cut();
      await reconnected(accepted);
    };

    const restartAgent = async () => {
      await agent.stop();
      agent = await startTheAgent();
      await agent.whenConnected();
    };
    const restartCloud = async () => {
      await cloud.stop();
      cloud = await startCloudAt(cloudDir, logger, { tunnel });
      proxy.setTarget(Number(new URL(cloud.url).port));
      await waitFor('the agent to reach the new cloud', () => agent.status().connected);
    };
    const reset = () => cutAndAwaitReconnect(() => proxy.cutAll());
    const midFrame = (direction: 'up' | 'down' | 'either') =>
      cutAndAwaitReconnect(() => Promise.all(proxy.cutAllMidFrame(direction)));
    // Nothing is closed: only the dead-peer deadlines on both sides can end the link.
    const blackHole = () =>
      cutAndAwaitReconnect(() => {
        for (const connection of proxy.connections()) connection.setMode({ kind: 'drop' });
      });
    const refuseThenAdmit = () =>
      cutAndAwaitReconnect(async () => {
        proxy.refuse();
        proxy.cutAll();
        await waitFor('three refused reconnects', () => proxy.stats().refused >= refusedBefore + 3);
        proxy.admit();
      });
    let refusedBefore = 0;
    const slowThenCut = async () => {
      proxy.setMode({ kind: 'delay', delayMs: 15 });
      await afterMoreRuns(5);
      await cutAndAwaitReconnect(() => proxy.cutAll());
      proxy.setMode({ kind: 'pass' });
    };

    /**
     * Each step enqueues its share of the jobs, waits until about half of them have started,
     * and then hurts the link, so there is always work in flight. `armed` steps arm their
     * mid-frame cut before enqueueing, so it lands in the job frames themselves.
     */
    const steps: { name: string; act: () => Promise<unknown>; armed?: 'down' }[] = [
      { name: 'reset', act: reset },
      { name: 'mid-frame, either way', act: () => midFrame('either') },
      { name: 'mid-frame in job frames', act: () => midFrame('down'), armed: 'down' },
      { name: 'mid-frame in results', act: () => midFrame('up') },
      { name: 'reset', act: reset },
      { name: 'black hole', act: blackHole },
      { name: 'refused reconnects', act: refuseThenAdmit },
      { name: 'slow link, then cut', act: slowThenCut },
      { name: 'mid-frame in job frames', act: () => midFrame('down'), armed: 'down' },
      { name: 'agent restart', act: restartAgent },
      { name: 'reset', act: reset },
      { name: 'mid-frame in results', act: () => midFrame('up') },
      { name: 'cloud restart', act: restartCloud },
      { name: 'mid-frame in job frames', act: () => midFrame('down'), armed: 'down' },
      { name: 'reset', act: reset },
      { name: 'black hole', act: blackHole },
      { name: 'mid-frame in results', act: () => midFrame('up') },
      { name: 'reset', act: reset },
      { name: 'mid-frame, either way', act: () => midFrame('either') },
      { name: 'calm', act: async () => {} },
    ];
    const perStep = totalJobs / steps.length;
    for (const [number, step] of steps.entries()) {
      refusedBefore = proxy.stats().refused;
      const armed = step.armed === undefined ? undefined : proxy.cutAllMidFrame(step.armed);
      await enqueue(number * perStep, perStep);
      if (armed !== undefined) {
        await cutAndAwaitReconnect(() => Promise.all(armed));
      } else {
        await waitFor(`step ${number + 1} (${step.name}): half its jobs started`, () => {
          return executed >= number * perStep + perStep / 2;
        });
        await step.act();
      }
    }

    const outcomes: JobOutcome[] = [];
    for (const jobId of jobIds) outcomes.push(await cloud.hub.jobs.wait(tenant.tenantId, jobId));

    const failed = outcomes
      .map((outcome, index) => ({ index, outcome }))
      .filter(({ outcome }) => !outcome.ok);
    expect(failed).toEqual([]);
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.result : undefined))).toEqual(
      jobIds.map((_, index) => ({ index })),
    );
    const twice = [...executions].filter(([, count]) => count > 1);
    expect(twice).toEqual([]);
    expect(executions.size).toBe(totalJobs);
    expect(proxy.stats().accepted).toBeGreaterThanOrEqual(15);
  }, 90_000);
});
