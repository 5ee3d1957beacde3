import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  enrollAgent,
  JobHandlerRegistry,
  type RunningAgent,
  type StartAgentOptions,
  startAgent,
} from '@plumbline/agent';
import type { RunningCloud } from '@plumbline/cloud';
import { createLogger } from '@plumbline/log';
import { defineJobKind, noopJob } from '@plumbline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addTenantAdmin, type TenantAdmin } from '../support/addTenantAdmin.ts';
import { ChaosProxy } from '../support/ChaosProxy.ts';
import { createEnrollmentToken } from '../support/createEnrollmentToken.ts';
import { MeasuredServer } from '../support/MeasuredServer.ts';
import { startCloudAt } from '../support/startCloudAt.ts';
import { waitFor } from '../support/waitFor.ts';

/**
 * The tunnel end to end, as an operator meets it: a real cloud, agents enrolled through the
 * real HTTP route and `enrollAgent`, jobs, revocation, read-only mode, and a cloud that stops
 * and comes back as another process on the same port and data. The last test leaves the
 * in-process cloud stopped.
 */
const cloudSettings = {
  pingIntervalMs: 200,
  deadPeerMs: 2_000,
  handshakeTimeoutMs: 2_000,
  drainSpreadMs: 100,
  drainGraceMs: 1_000,
};
const agentTunnel = {
  pingIntervalMs: 200,
  deadPeerMs: 2_000,
  backoffBaseMs: 20,
  backoffCapMs: 200,
  refusedBackoffCapMs: 200,
  closeTimeoutMs: 300,
};

/** Changes something in the customer's network (so it is signed); counts its runs here. */
const pushJob = defineJobKind({
  kind: 'test.e2e-push',
  params: z.object({ line: z.string() }),
  result: z.object({ applied: z.string() }),
  mutates: true,
  defaultTimeoutMs: 10_000,
});

describe('the tunnel end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunnel-e2e-'));
  const logger = createLogger({
    name: 'tunnel-e2e',
    level: process.env.TUNNEL_E2E_LOG_LEVEL ?? 'silent',
  });
  const tunnel = { settings: cloudSettings, jobKinds: [pushJob] };
  const cloudDir = join(dir, 'cloud');
  const pushes: string[] = [];
  const handlers = new JobHandlerRegistry().register(pushJob, async ({ line }) => {
    pushes.push(line);
    return { applied: line };
  });
  const agents: RunningAgent[] = [];
  let cloud: RunningCloud;
  let tenant: TenantAdmin;

  beforeAll(async () => {
    cloud = await startCloudAt(cloudDir, logger, { tunnel });
    tenant = await addTenantAdmin(cloud.store, 'e2e');
  });
  afterAll(async () => {
    for (const agent of agents) await agent.stop().catch(() => {});
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string) => {
    const response = await fetch(new URL(`/api/v1/tenants/${tenant.slug}${path}`, cloud.url), {
      method,
      headers: { authorization: `Bearer ${tenant.adminToken}` },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  /** Enrolls a new agent through the HTTP route (or through `cloudUrl`) and starts it. */
  const enrollAndStart = async (
    name: string,
    options: { cloudUrl?: string } & Partial<StartAgentOptions> = {},
  ) => {
    const stateDir = join(dir, name);
    const token = await createEnrollmentToken(cloud.url, tenant);
    const { cloudUrl = cloud.url, ...startOptions } = options;
    const enrolled = await enrollAgent({ cloudUrl, token, stateDir, name });
    const agent = await startAgent({
      stateDir,
      logger,
      handlers,
      healthPort: false,
      tunnel: agentTunnel,
      ...startOptions,
    });
    agents.push(agent);
    return { agent, enrolled, token, stateDir };
  };

  it('enrolls through the HTTP route, connects, and runs a job both ways', async () => {
    const { agent, enrolled, token } = await enrollAndStart('first');
    await agent.whenConnected();

    const { jobId } = await cloud.hub.jobs.enqueue(tenant.tenantId, enrolled.agentId, noopJob, {
      payload: 'there and back',
    });
    const outcome = await cloud.hub.jobs.wait(tenant.tenantId, jobId);

    expect(outcome).toEqual({ ok: true, result: { payload: 'there and back' } });
    expect(enrolled.tenantId).toBe(tenant.tenantId);
    const listed = await api('GET', `/agents/${enrolled.agentId}`);
    expect(listed.status).toBe(200);
    expect(listed.json.agent).toMatchObject({ name: 'first', state: 'online', readOnly: false });
    await expect(
      enrollAgent({ cloudUrl: cloud.url, token, stateDir: join(dir, 'again'), name: 'again' }),
    ).rejects.toThrow();
  });

  it('authenticates an agent whose clock is hours off, both ways, and reports the offset', async () => {
    const threeHoursMs = 3 * 3_600_000;
    for (const skewMs of [threeHoursMs, -threeHoursMs]) {
      const { agent, enrolled } = await enrollAndStart(
        `skewed-${skewMs > 0 ? 'ahead' : 'behind'}`,
        {
          timers: { now: () => Date.now() + skewMs },
        },
      );
      await agent.whenConnected();

      const { jobId } = await cloud.hub.jobs.enqueue(
        tenant.tenantId,
        enrolled.agentId,
        noopJob,
        {},
      );
      expect(await cloud.hub.jobs.wait(tenant.tenantId, jobId)).toEqual({ ok: true, result: {} });
      // The agent measures the cloud's clock minus its own: about -skew, give or take the trip.
      expect(Math.abs((agent.status().clockOffsetMs ?? 0) + skewMs)).toBeLessThan(60_000);
    }
  });

  it('drops a revoked agent at once and refuses it when it tries again', async () => {
    const proxy = await ChaosProxy.start({ targetPort: Number(new URL(cloud.url).port) });
    try {
      const { agent, enrolled } = await enrollAndStart('revoked', { cloudUrl: proxy.url() });
      await agent.whenConnected();
      const accepted = proxy.stats().accepted;
      // The newest: enrollment's keep-alive HTTP connection may still be open beside it.
      const live = proxy.connections().at(-1);

      const revoked = await api('POST', `/agents/${enrolled.agentId}/revoke`);
      expect(revoked.status).toBe(200);
      await live?.closed;
      // A third attempt begins only after the second has ended: neither was let in.
      await waitFor('three attempts after the revocation', () => {
        return proxy.stats().accepted >= accepted + 3;
      });

      expect(agent.status().connected).toBe(false);
      expect(agent.status().lastDisconnect?.reason).toBe('revoked');
      expect((await api('GET', `/agents/${enrolled.agentId}`)).json.agent).toMatchObject({
        state: 'revoked',
      });
    } finally {
      await proxy.close();
    }
  });

  it('refuses a signed mutating job on a read-only agent and runs nothing', async () => {
    const { agent, enrolled } = await enrollAndStart('read-only', { readOnly: true });
    await agent.whenConnected();
    const pushed = pushes.length;

    const { jobId } = await cloud.hub.jobs.enqueue(tenant.tenantId, enrolled.agentId, pushJob, {
      line: 'hostname core-1',
    });
    const outcome = await cloud.hub.jobs.wait(tenant.tenantId, jobId);

    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.error.code).toBe('read_only');
    expect(pushes.length).toBe(pushed);
    expect((await api('GET', `/agents/${enrolled.agentId}`)).json.agent).toMatchObject({
      readOnly: true,
    });
  });

  it('runs a signed mutating job once on an agent that may change things', async () => {
    const { agent, enrolled } = await enrollAndStart('writer');
    await agent.whenConnected();

    const { jobId } = await cloud.hub.jobs.enqueue(tenant.tenantId, enrolled.agentId, pushJob, {
      line: 'ntp server 192.0.2.1',
    });

    expect(await cloud.hub.jobs.wait(tenant.tenantId, jobId)).toEqual({
      ok: true,
      result: { applied: 'ntp server 192.0.2.1' },
    });
    expect(pushes.filter((line) => line === 'ntp server 192.0.2.1')).toHaveLength(1);
  });

  it('drains agents when the cloud stops; they come back to a new cloud process on the same port', async () => {
    const { agent, enrolled } = await enrollAndStart('drained');
    await agent.whenConnected();
    const port = Number(new URL(cloud.url).port);
    const reconnects = agent.status().reconnects;

    await cloud.stop();
    await waitFor('the agent to see the link end', () => !agent.status().connected);
    expect(agent.status().lastDisconnect?.reason).toBe('going_away');
    const next = await MeasuredServer.start('cloud', {
      PLUMBLINE_DATA_DIR: cloudDir,
      PLUMBLINE_PORT: String(port),
      PLUMBLINE_LOG_LEVEL: 'warn',
    });
    try {
      await waitFor('the agent to reach the new cloud process', () => agent.status().connected);

      expect(next.pid).not.toBe(process.pid);
      expect(agent.status().reconnects).toBeGreaterThan(reconnects);
      expect(await next.runNoopJob(tenant.tenantId, enrolled.agentId, 'after the restart')).toEqual(
        { ok: true, result: { payload: 'after the restart' } },
      );
    } finally {
      await next.stop();
    }
  });
});
