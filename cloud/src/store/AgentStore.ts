import { randomUUID } from 'node:crypto';
import { generateSigningKeyPair, keyIdOf, type SigningKeyPair } from '@plumbline/proto';
import { and, asc, count, eq, inArray, isNull, lte, max, type SQL, sql } from 'drizzle-orm';
import { generateSecret, hashSecret } from '../auth/secrets.ts';
import { AppError } from '../errors/AppError.ts';
import type { Sealer } from '../secrets/Sealer.ts';
import { appendAudit } from './appendAudit.ts';
import type { Db } from './openDatabase.ts';
import type { Actor } from './records.ts';
import { tenants } from './schema.ts';
import { agentKeys, agents, enrollmentTokens, jobs, tenantSigningKeys } from './tunnelSchema.ts';

export { jobStates } from './tunnelSchema.ts';

export type JobState = (typeof jobs.$inferSelect)['state'];

export const unfinishedJobStates = ['queued', 'delivered', 'acked', 'running'] as const;
export type UnfinishedJobState = (typeof unfinishedJobStates)[number];
export type FinishedJobState = Exclude<JobState, UnfinishedJobState>;

/** The outbox keeps at most this many unfinished jobs per agent; more are refused. */
export const maxUnfinishedJobsPerAgent = 1000;

export interface AgentRecord {
  id: string;
  tenantId: string;
  name: string;
  version: string;
  lastAddress: string | null;
  connectedSince: number | null;
  lastSeenAt: number | null;
  readOnly: boolean;
  rotationRequestedAt: number | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface AgentKeyRecord {
  keyId: string;
  agentId: string;
  tenantId: string;
  publicKey: string;
  createdAt: number;
  retiredAt: number | null;
}

export interface JobRecord {
  id: string;
  tenantId: string;
  agentId: string;
  seq: number;
  kind: string;
  params: unknown;
  signature: string | null;
  timeoutMs: number;
  state: JobState;
  /** The proto `JobOutcome`, once the job finished. */
  outcome: unknown;
  progress: { done: number; total: number | null; message: string | null } | null;
  createdAt: number;
  deadlineAt: number;
  updatedAt: number;
}

export interface NewJob {
  id: string;
  kind: string;
  params: unknown;
  signature: string | undefined;
  timeoutMs: number;
  deadlineAt: number;
}

/** Why an enrollment was refused; each has its own HTTP status so the agent can say which. */
export type EnrollmentRefusal = 'unknown_token' | 'expired_token' | 'used_token';

const systemActor: Actor = { kind: 'system', id: null, label: 'tunnel' };

/**
 * Agents, their keys, enrollment tokens, the tenants' job-signing keys and the job outbox.
 * Lookups by public key or token hash are global because they are how a tenant is found; every
 * other method takes the tenant id and names it in each query, so an id from another tenant is
 * not found. Changes an operator would ask about are audited in their transaction; connection
 * telemetry (last seen, address) and job acks and progress are not, to keep the log readable.
 */
export class AgentStore {
  private readonly db: Db;
  private readonly now: () => number;

  constructor(db: Db, now: () => number) {
    this.db = db;
    this.now = now;
  }

  // ---- enrollment ----

  /** A single-use token for `tenantId`; returned here once, only its SHA-256 is stored. */
  async createEnrollmentToken(
    tenantId: string,
    ttlMs: number,
    actor: Actor,
  ): Promise<{ token: string; expiresAt: number }> {
    const now = this.now();
    const token = `plbe_${generateSecret()}`;
    const row = {
      id: randomUUID(),
      tenantId,
      tokenHash: hashSecret(token),
      createdBy: actor.label,
      createdAt: now,
      expiresAt: now + ttlMs,
    };
    this.db.transaction((tx) => {
      tx.insert(enrollmentTokens).values(row).run();
      appendAudit(
        tx,
        actor,
        {
          tenantId,
          action: 'agent.enrollment_token_created',
          objectType: 'enrollment_token',
          objectId: row.id,
          detail: { expiresAt: row.expiresAt },
        },
        now,
      );
    });
    return { token, expiresAt: row.expiresAt };
  }

  /**
   * Spends an enrollment token on a new agent with `publicKey`. Refuses (and changes nothing)
   * an unknown, expired or used token and a key already registered.
   */
  async enroll(input: {
    token: string;
    publicKey: string;
    name: string;
    agentVersion: string;
  }): Promise<{ agent: AgentRecord; tenantSlug: string }> {
    const now = this.now();
    const agentId = randomUUID();
    const tenantSlug = this.db.transaction((tx) => {
      const token = tx
        .select()
        .from(enrollmentTokens)
        .where(eq(enrollmentTokens.tokenHash, hashSecret(input.token)))
        .get();
      if (!token) {
        throw enrollmentError(
          'unknown_token',
          'the enrollment token is not known; ask an admin of the tenant for a new one',
        );
      }
      if (token.usedAt !== null) {
        throw enrollmentError(
          'used_token',
          `the enrollment token was already used at ${new Date(token.usedAt).toISOString()}; ` +
            'each token enrolls one agent: ask for a new one',
        );
      }
      if (token.expiresAt <= now) {
        throw enrollmentError(
          'expired_token',
          `the enrollment token expired at ${new Date(token.expiresAt).toISOString()}; ` +
            'ask an admin of the tenant for a new one',
        );
      }
      if (tx.select().from(agentKeys).where(eq(agentKeys.publicKey, input.publicKey)).get()) {
        throw new AppError(
          'conflict',
          'this public key is already registered to an agent; generate a new key pair',
        );
      }
      tx.update(enrollmentTokens)
        .set({ usedAt: now, usedByAgentId: agentId })
        .where(eq(enrollmentTokens.id, token.id))
        .run();
      tx.insert(agents)
        .values({
          id: agentId,
          tenantId: token.tenantId,
          name: input.name,
          version: input.agentVersion,
          createdAt: now,
        })
        .run();
      tx.insert(agentKeys)
        .values({
          keyId: keyIdOf(input.publicKey),
          agentId,
          tenantId: token.tenantId,
          publicKey: input.publicKey,
          createdAt: now,
        })
        .run();
      const actor: Actor = { kind: 'system', id: null, label: `enrollment token ${token.id}` };
      appendAudit(
        tx,
        actor,
        {
          tenantId: token.tenantId,
          action: 'agent.enrolled',
          objectType: 'agent',
          objectId: agentId,
          detail: { name: input.name, keyId: keyIdOf(input.publicKey), tokenId: token.id },
        },
        now,
      );
      const tenant = tx.select().from(tenants).where(eq(tenants.id, token.tenantId)).get();
      if (!tenant) throw new AppError('not_found', 'the enrollment token names no tenant');
      return tenant.slug;
    });
    return { agent: await this.getAgent(await this.tenantOfAgent(agentId), agentId), tenantSlug };
  }

  /**
   * The tenant's job-signing key pair, made (and its secret half sealed) on first use. The
   * secret is opened only for the caller that signs with it and never leaves the process.
   */
  async signingKeyOf(tenantId: string, sealer: Sealer): Promise<SigningKeyPair> {
    const context = `tenant:${tenantId}:job-signing-key`;
    const row = this.db
      .select()
      .from(tenantSigningKeys)
      .where(eq(tenantSigningKeys.tenantId, tenantId))
      .get();
    if (row) {
      return { publicKey: row.publicKey, secretKey: sealer.open(row.sealedSecretKey, context) };
    }
    const pair = generateSigningKeyPair();
    const now = this.now();
    this.db.transaction((tx) => {
      const inserted = tx
        .insert(tenantSigningKeys)
        .values({
          tenantId,
          publicKey: pair.publicKey,
          sealedSecretKey: sealer.seal(pair.secretKey, context),
          createdAt: now,
        })
        .onConflictDoNothing()
        .run();
      // Another caller made it first: theirs is the key, and theirs the audit event.
      if (inserted.changes === 0) return;
      appendAudit(
        tx,
        systemActor,
        {
          tenantId,
          action: 'tenant.signing_key_created',
          objectType: 'tenant',
          objectId: tenantId,
          detail: { keyId: keyIdOf(pair.publicKey) },
        },
        now,
      );
    });
    return this.signingKeyOf(tenantId, sealer);
  }

  // ---- agents and keys ----

  /** The key and its agent, found by the key alone: this is how a connection gets its tenant. */
  async findKey(
    publicKey: string,
  ): Promise<{ key: AgentKeyRecord; agent: AgentRecord } | undefined> {
    const row = this.db
      .select({ key: agentKeys, agent: agents })
      .from(agentKeys)
      .innerJoin(agents, eq(agents.id, agentKeys.agentId))
      .where(eq(agentKeys.publicKey, publicKey))
      .get();
    return row && { key: row.key, agent: row.agent };
  }

  async listAgents(tenantId: string): Promise<AgentRecord[]> {
    return this.db
      .select()
      .from(agents)
      .where(eq(agents.tenantId, tenantId))
      .orderBy(asc(agents.name), asc(agents.createdAt))
      .all();
  }

  async getAgent(tenantId: string, agentId: string): Promise<AgentRecord> {
    const row = this.db.select().from(agents).where(agentOf(tenantId, agentId)).get();
    if (!row) throw new AppError('not_found', `no agent with id ${agentId} in this tenant`);
    return row;
  }

  /** The agent's keys that still authenticate, oldest first. */
  async validKeys(tenantId: string, agentId: string): Promise<AgentKeyRecord[]> {
    return this.db
      .select()
      .from(agentKeys)
      .where(validKeysOf(tenantId, agentId))
      .orderBy(asc(agentKeys.createdAt))
      .all();
  }

  /** An authenticated connection began. Telemetry: not audited. */
  async markConnected(
    tenantId: string,
    agentId: string,
    report: { address: string | null; version: string; readOnly: boolean },
  ): Promise<void> {
    const now = this.now();
    this.db
      .update(agents)
      .set({
        connectedSince: now,
        lastSeenAt: now,
        lastAddress: report.address,
        version: report.version,
        readOnly: report.readOnly,
      })
      .where(agentOf(tenantId, agentId))
      .run();
  }

  /** The connection ended; `lastSeenAt` is when a frame last arrived on it. */
  async markDisconnected(tenantId: string, agentId: string, lastSeenAt: number): Promise<void> {
    this.db
      .update(agents)
      .set({ connectedSince: null, lastSeenAt })
      .where(agentOf(tenantId, agentId))
      .run();
  }

  /** Marks every agent offline: on start-up, since no connection survives a restart. */
  async markAllDisconnected(): Promise<void> {
    this.db.update(agents).set({ connectedSince: null }).run();
  }

  /**
   * Revokes an agent, retires its keys and ends its unfinished jobs as `cancelled` (nobody will
   * run them now), in one transaction. Returns the ids of those jobs so waiters can be told.
   * Revoking a revoked agent changes nothing.
   */
  async revokeAgent(
    tenantId: string,
    agentId: string,
    actor: Actor,
  ): Promise<{ agent: AgentRecord; cancelledJobIds: string[] }> {
    const agent = await this.getAgent(tenantId, agentId);
    if (agent.revokedAt !== null) return { agent, cancelledJobIds: [] };
    const now = this.now();
    const outcome = JSON.stringify({
      ok: false,
      error: { code: 'cancelled', message: `agent ${agent.name} was revoked by ${actor.label}` },
    });
    const cancelledJobIds = this.db.transaction((tx) => {
      tx.update(agents)
        .set({ revokedAt: now, connectedSince: null })
        .where(agentOf(tenantId, agentId))
        .run();
      tx.update(agentKeys).set({ retiredAt: now }).where(validKeysOf(tenantId, agentId)).run();
      const cancelled = tx
        .update(jobs)
        .set({ state: 'cancelled', outcome, updatedAt: now })
        .where(unfinishedJobsOf(tenantId, agentId))
        .returning({ id: jobs.id })
        .all()
        .map((row) => row.id);
      appendAudit(
        tx,
        actor,
        {
          tenantId,
          action: 'agent.revoked',
          objectType: 'agent',
          objectId: agentId,
          detail: { cancelledJobs: cancelled.length },
        },
        now,
      );
      return cancelled;
    });
    return { agent: await this.getAgent(tenantId, agentId), cancelledJobIds };
  }

  /** Records that an admin asked for a key rotation; the hub asks the agent when it is online. */
  async requestRotation(tenantId: string, agentId: string, actor: Actor): Promise<AgentRecord> {
    const agent = await this.getAgent(tenantId, agentId);
    if (agent.revokedAt !== null) {
      throw new AppError('conflict', `agent ${agentId} is revoked; enroll a new agent instead`);
    }
    const now = this.now();
    this.db.transaction((tx) => {
      tx.update(agents).set({ rotationRequestedAt: now }).where(agentOf(tenantId, agentId)).run();
      appendAudit(
        tx,
        actor,
        {
          tenantId,
          action: 'agent.key_rotation_requested',
          objectType: 'agent',
          objectId: agentId,
        },
        now,
      );
    });
    return this.getAgent(tenantId, agentId);
  }

  /**
   * Registers the agent's new key beside its current one and clears the rotation request.
   * Refused when the agent already holds two valid keys (a rotation not finished yet).
   */
  async addKey(tenantId: string, agentId: string, publicKey: string): Promise<AgentKeyRecord> {
    const now = this.now();
    const key = {
      keyId: keyIdOf(publicKey),
      agentId,
      tenantId,
      publicKey,
      createdAt: now,
      retiredAt: null,
    };
    this.db.transaction((tx) => {
      const valid = tx
        .select({ n: count() })
        .from(agentKeys)
        .where(validKeysOf(tenantId, agentId))
        .get();
      if ((valid?.n ?? 0) >= 2) {
        throw new AppError(
          'conflict',
          'the agent already has two valid keys; connect with the newer one to finish that ' +
            'rotation first',
        );
      }
      if (tx.select().from(agentKeys).where(eq(agentKeys.publicKey, publicKey)).get()) {
        throw new AppError('conflict', 'this public key is already registered');
      }
      tx.insert(agentKeys).values(key).run();
      tx.update(agents).set({ rotationRequestedAt: null }).where(agentOf(tenantId, agentId)).run();
      appendAudit(
        tx,
        systemActor,
        {
          tenantId,
          action: 'agent.key_added',
          objectType: 'agent',
          objectId: agentId,
          detail: { keyId: key.keyId },
        },
        now,
      );
    });
    return key;
  }

  /** Retires every valid key of the agent older than `keyId`: the agent has moved to it. */
  async retireKeysOlderThan(tenantId: string, agentId: string, keyId: string): Promise<number> {
    const now = this.now();
    return this.db.transaction((tx) => {
      const current = tx
        .select()
        .from(agentKeys)
        .where(and(eq(agentKeys.tenantId, tenantId), eq(agentKeys.keyId, keyId)))
        .get();
      if (!current) return 0;
      const older = tx
        .select()
        .from(agentKeys)
        .where(
          and(
            validKeysOf(tenantId, agentId),
            sql`${agentKeys.createdAt} <= ${current.createdAt}`,
            sql`${agentKeys.keyId} <> ${keyId}`,
          ),
        )
        .all();
      if (older.length === 0) return 0;
      tx.update(agentKeys)
        .set({ retiredAt: now })
        .where(
          inArray(
            agentKeys.keyId,
            older.map((key) => key.keyId),
          ),
        )
        .run();
      appendAudit(
        tx,
        systemActor,
        {
          tenantId,
          action: 'agent.key_retired',
          objectType: 'agent',
          objectId: agentId,
          detail: { keyIds: older.map((key) => key.keyId), nowUsing: keyId },
        },
        now,
      );
      return older.length;
    });
  }

  // ---- the job outbox ----

  /**
   * Known shortcoming: finished jobs are kept forever; nothing prunes them yet, so the jobs
   * table grows with every job run. Queries use indexes that keep this cheap, but the file grows.
   *
   * Adds a job to the agent's outbox with the next seq. Refused when the agent is revoked or
   * already has `maxUnfinishedJobsPerAgent` unfinished jobs.
   */
  async enqueueJob(
    tenantId: string,
    agentId: string,
    job: NewJob,
    actor: Actor,
  ): Promise<JobRecord> {
    const now = this.now();
    const row = this.db.transaction((tx) => {
      const agent = tx.select().from(agents).where(agentOf(tenantId, agentId)).get();
      if (!agent) throw new AppError('not_found', `no agent with id ${agentId} in this tenant`);
      if (agent.revokedAt !== null) {
        throw new AppError('conflict', `agent ${agent.name} (${agentId}) is revoked`);
      }
      const unfinished = tx
        .select({ n: count() })
        .from(jobs)
        .where(unfinishedJobsOf(tenantId, agentId))
        .get();
      if ((unfinished?.n ?? 0) >= maxUnfinishedJobsPerAgent) {
        throw new AppError(
          'too_many_requests',
          `agent ${agent.name} (${agentId}) already has ${maxUnfinishedJobsPerAgent} unfinished ` +
            'jobs; wait for it to work through them (is it online?) or cancel some',
        );
      }
      const last = tx
        .select({ seq: max(jobs.seq) })
        .from(jobs)
        .where(eq(jobs.agentId, agentId))
        .get();
      const inserted = tx
        .insert(jobs)
        .values({
          id: job.id,
          tenantId,
          agentId,
          seq: (last?.seq ?? 0) + 1,
          kind: job.kind,
          params: JSON.stringify(job.params),
          signature: job.signature ?? null,
          timeoutMs: job.timeoutMs,
          state: 'queued',
          createdAt: now,
          deadlineAt: job.deadlineAt,
          updatedAt: now,
        })
        .returning()
        .get();
      appendAudit(
        tx,
        actor,
        {
          tenantId,
          action: 'job.enqueued',
          objectType: 'job',
          objectId: job.id,
          detail: { agentId, kind: job.kind, signed: job.signature !== undefined },
        },
        now,
      );
      return inserted;
    });
    return toJob(row);
  }

  async getJob(tenantId: string, jobId: string): Promise<JobRecord> {
    const row = this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, jobId)))
      .get();
    if (!row) throw new AppError('not_found', `no job with id ${jobId} in this tenant`);
    return toJob(row);
  }

  /** The agent's jobs, newest first, `limit` of them; only those in `state` when given. */
  async listJobs(
    tenantId: string,
    agentId: string,
    filter: { state?: JobState; limit: number },
  ): Promise<JobRecord[]> {
    const byState = filter.state === undefined ? undefined : eq(jobs.state, filter.state);
    return this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenantId), eq(jobs.agentId, agentId), byState))
      .orderBy(sql`${jobs.seq} desc`)
      .limit(filter.limit)
      .all()
      .map(toJob);
  }

  /** Jobs without an outcome, in seq order: what to (re)deliver when the agent connects. */
  async unfinishedJobs(tenantId: string, agentId: string): Promise<JobRecord[]> {
    return this.db
      .select()
      .from(jobs)
      .where(unfinishedJobsOf(tenantId, agentId))
      .orderBy(asc(jobs.seq))
      .all()
      .map(toJob);
  }

  /**
   * Jobs of the agent cancelled or timed out at or after `sinceMs`: those the agent may still
   * hold without having heard `job.cancel`, because it was offline when they ended.
   */
  async jobsEndedSince(tenantId: string, agentId: string, sinceMs: number): Promise<JobRecord[]> {
    return this.db
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.tenantId, tenantId),
          eq(jobs.agentId, agentId),
          inArray(jobs.state, ['cancelled', 'timed_out']),
          sql`${jobs.updatedAt} >= ${sinceMs}`,
        ),
      )
      .orderBy(asc(jobs.seq))
      .limit(maxUnfinishedJobsPerAgent)
      .all()
      .map(toJob);
  }

  /** Unfinished jobs whose deadline has passed, across tenants, for the hub's deadline sweep. */
  async overdueJobs(nowMs: number, limit: number): Promise<JobRecord[]> {
    return this.db
      .select()
      .from(jobs)
      .where(and(inArray(jobs.state, [...unfinishedJobStates]), lte(jobs.deadlineAt, nowMs)))
      .orderBy(asc(jobs.deadlineAt))
      .limit(limit)
      .all()
      .map(toJob);
  }

  /** The earliest deadline among unfinished jobs, so the hub can set one timer. */
  async nextDeadline(): Promise<number | undefined> {
    const row = this.db
      .select({ at: sql<number | null>`min(${jobs.deadlineAt})` })
      .from(jobs)
      .where(inArray(jobs.state, [...unfinishedJobStates]))
      .get();
    return row?.at ?? undefined;
  }

  /**
   * Moves an unfinished job forward (queued → delivered → acked → running) for the agent that
   * owns it; returns false when the job is not this agent's, unknown, or already further.
   */
  async advanceJob(
    tenantId: string,
    agentId: string,
    jobId: string,
    state: 'delivered' | 'acked' | 'running',
  ): Promise<boolean> {
    const from: UnfinishedJobState[] =
      state === 'delivered'
        ? ['queued']
        : state === 'acked'
          ? ['queued', 'delivered']
          : ['queued', 'delivered', 'acked'];
    const result = this.db
      .update(jobs)
      .set({ state, updatedAt: this.now() })
      .where(
        and(
          eq(jobs.tenantId, tenantId),
          eq(jobs.agentId, agentId),
          eq(jobs.id, jobId),
          inArray(jobs.state, from),
        ),
      )
      .run();
    return result.changes > 0;
  }

  /** Stores progress of an unfinished job of this agent; false when none matches. */
  async recordProgress(
    tenantId: string,
    agentId: string,
    jobId: string,
    progress: { done: number; total?: number | undefined; message?: string | undefined },
  ): Promise<boolean> {
    const result = this.db
      .update(jobs)
      .set({
        progressDone: progress.done,
        progressTotal: progress.total ?? null,
        progressMessage: progress.message ?? null,
        updatedAt: this.now(),
      })
      .where(and(unfinishedJobsOf(tenantId, agentId), eq(jobs.id, jobId)))
      .run();
    return result.changes > 0;
  }

  /**
   * Stores a job's outcome once: the first outcome wins (a result after a cancel or a deadline
   * is dropped). `agentId` undefined for outcomes the cloud decides (cancelled, timed out).
   * Returns the finished job, or undefined when nothing matched or it had finished already.
   */
  async finishJob(
    tenantId: string,
    jobId: string,
    finish: { agentId?: string; state: FinishedJobState; outcome: unknown },
    actor: Actor = systemActor,
  ): Promise<JobRecord | undefined> {
    const now = this.now();
    const row = this.db.transaction((tx) => {
      const byAgent = finish.agentId === undefined ? undefined : eq(jobs.agentId, finish.agentId);
      const result = tx
        .update(jobs)
        .set({ state: finish.state, outcome: JSON.stringify(finish.outcome), updatedAt: now })
        .where(
          and(
            eq(jobs.tenantId, tenantId),
            eq(jobs.id, jobId),
            byAgent,
            inArray(jobs.state, [...unfinishedJobStates]),
          ),
        )
        .returning()
        .get();
      if (!result) return undefined;
      appendAudit(
        tx,
        actor,
        {
          tenantId,
          action: `job.${finish.state}`,
          objectType: 'job',
          objectId: jobId,
        },
        now,
      );
      return result;
    });
    return row && toJob(row);
  }

  /** Unfinished jobs by state over all tenants, for the metrics gauge. */
  async countJobsByState(): Promise<Record<string, number>> {
    const rows = this.db
      .select({ state: jobs.state, n: count() })
      .from(jobs)
      .groupBy(jobs.state)
      .all();
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  private async tenantOfAgent(agentId: string): Promise<string> {
    const row = this.db
      .select({ tenantId: agents.tenantId })
      .from(agents)
      .where(eq(agents.id, agentId))
      .get();
    if (!row) throw new AppError('not_found', `no agent with id ${agentId}`);
    return row.tenantId;
  }
}

/** The agent `agentId` of `tenantId`: queries name both, so another tenant's id is not found. */
function agentOf(tenantId: string, agentId: string): SQL | undefined {
  return and(eq(agents.tenantId, tenantId), eq(agents.id, agentId));
}

/** The keys of the agent that still authenticate (not retired by a rotation or a revocation). */
function validKeysOf(tenantId: string, agentId: string): SQL | undefined {
  return and(
    eq(agentKeys.tenantId, tenantId),
    eq(agentKeys.agentId, agentId),
    isNull(agentKeys.retiredAt),
  );
}

/** The agent's jobs without an outcome yet. */
function unfinishedJobsOf(tenantId: string, agentId: string): SQL | undefined {
  return and(
    eq(jobs.tenantId, tenantId),
    eq(jobs.agentId, agentId),
    inArray(jobs.state, [...unfinishedJobStates]),
  );
}

function enrollmentError(refusal: EnrollmentRefusal, message: string): AppError {
  const code = {
    unknown_token: 'unauthenticated',
    expired_token: 'forbidden',
    used_token: 'conflict',
  } as const;
  return new AppError(code[refusal], message);
}

function toJob(row: typeof jobs.$inferSelect): JobRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    agentId: row.agentId,
    seq: row.seq,
    kind: row.kind,
    params: JSON.parse(row.params) as unknown,
    signature: row.signature,
    timeoutMs: row.timeoutMs,
    state: row.state,
    outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as unknown),
    progress:
      row.progressDone === null
        ? null
        : { done: row.progressDone, total: row.progressTotal, message: row.progressMessage },
    createdAt: row.createdAt,
    deadlineAt: row.deadlineAt,
    updatedAt: row.updatedAt,
  };
}
