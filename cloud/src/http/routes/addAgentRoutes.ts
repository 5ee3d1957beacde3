import { enrollPath, enrollRequestSchema } from '@plumbline/proto';
import type { Hono } from 'hono';
import { z } from 'zod';
import { type JobRecord, jobStates } from '../../store/AgentStore.ts';
import type { AgentStatus, TunnelHub } from '../../tunnel/TunnelHub.ts';
import type { AppEnv } from '../AppEnv.ts';
import { pathParam } from '../pathParam.ts';
import { readJson } from '../readJson.ts';
import type { TenantRouter } from '../TenantRouter.ts';

const enrollmentTokenBody = z.strictObject({
  /** Minutes until the token expires: 1 hour unless asked otherwise, at most a week. */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
const jobsQuery = z.object({
  state: z.enum(jobStates).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const agentView = (agent: AgentStatus) => ({
  id: agent.id,
  name: agent.name,
  state: agent.state,
  version: agent.version,
  address: agent.lastAddress,
  connectedSince: iso(agent.connectedSince),
  lastSeen: iso(agent.lastSeenAt),
  rttMs: agent.rttMs,
  readOnly: agent.readOnly,
  keyRotationRequestedAt: iso(agent.rotationRequestedAt),
  createdAt: iso(agent.createdAt),
  revokedAt: iso(agent.revokedAt),
});

const jobView = (job: JobRecord) => ({
  id: job.id,
  agentId: job.agentId,
  seq: job.seq,
  kind: job.kind,
  state: job.state,
  signed: job.signature !== null,
  timeoutMs: job.timeoutMs,
  progress: job.progress,
  outcome: job.outcome,
  createdAt: iso(job.createdAt),
  deadlineAt: iso(job.deadlineAt),
  updatedAt: iso(job.updatedAt),
});

function outcomeSummary(job: JobRecord): { ok: boolean; errorCode?: string } | null {
  const outcome = job.outcome as { ok?: boolean; error?: { code?: string } } | null;
  if (outcome === null || typeof outcome.ok !== 'boolean') return null;
  if (outcome.ok) return { ok: true };
  return { ok: false, ...(outcome.error?.code !== undefined && { errorCode: outcome.error.code }) };
}

/**
 * Agents and their jobs inside a tenant, and the one route outside tenants the agent itself
 * calls: enrollment, where the single-use token is the credential.
 */
export function addAgentRoutes(app: Hono<AppEnv>, router: TenantRouter, hub: TunnelHub): void {
  app.post(enrollPath, async (c) => {
    const request = await readJson(c, enrollRequestSchema);
    return c.json(await hub.enroll(request), 201);
  });

  router
    .add('POST', '/agents/enrollment-tokens', 'admin', async (c) => {
      const { ttlMinutes } = await readJson(c, enrollmentTokenBody);
      const { token, expiresAt } = await c.var.store
        .agents()
        .createEnrollmentToken(c.var.tenant.id, ttlMinutes * 60_000, c.var.actor);
      return c.json({ token, expiresAt: iso(expiresAt) }, 201);
    })
    .add('GET', '/agents', 'viewer', async (c) => {
      const agents = await hub.listAgents(c.var.tenant.id);
      return c.json({ agents: agents.map(agentView) });
    })
    .add('GET', '/agents/:agentId', 'viewer', async (c) => {
      const agent = await hub.getAgent(c.var.tenant.id, pathParam(c, 'agentId'));
      return c.json({ agent: agentView(agent) });
    })
    .add('POST', '/agents/:agentId/revoke', 'admin', async (c) => {
      const agentId = pathParam(c, 'agentId');
      await hub.revoke(c.var.tenant.id, agentId, c.var.actor);
      return c.json({ agent: agentView(await hub.getAgent(c.var.tenant.id, agentId)) });
    })
    .add('POST', '/agents/:agentId/rotate-key', 'admin', async (c) => {
      const agentId = pathParam(c, 'agentId');
      const { delivered } = await hub.requestKeyRotation(c.var.tenant.id, agentId, c.var.actor);
      const agent = await hub.getAgent(c.var.tenant.id, agentId);
      return c.json({ agent: agentView(agent), delivered }, 202);
    })
    .add('GET', '/agents/:agentId/jobs', 'viewer', async (c) => {
      const agentId = pathParam(c, 'agentId');
      const query = jobsQuery.parse(c.req.query());
      await hub.getAgent(c.var.tenant.id, agentId);
      const jobs = await c.var.store.agents().listJobs(c.var.tenant.id, agentId, {
        limit: query.limit,
        ...(query.state !== undefined && { state: query.state }),
      });
      // Results can be whole device configs: the list says how a job ended, GET /jobs/:id what.
      return c.json({
        jobs: jobs.map((job) => ({ ...jobView(job), outcome: outcomeSummary(job) })),
      });
    })
    .add('GET', '/jobs/:jobId', 'viewer', async (c) => {
      const job = await hub.jobs.get(c.var.tenant.id, pathParam(c, 'jobId'));
      return c.json({ job: jobView(job) });
    })
    .add('POST', '/jobs/:jobId/cancel', 'admin', async (c) => {
      const job = await hub.jobs.cancel(c.var.tenant.id, pathParam(c, 'jobId'), c.var.actor);
      return c.json({ job: jobView(job) });
    });
}
