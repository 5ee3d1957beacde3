import { randomUUID } from 'node:crypto';
import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  checkJobResult,
  type FrameOfType,
  firstIssueOf,
  type JobEnvelope,
  type JobKind,
  type JobOutcome,
  type JobSigningPayload,
  jobErrorCodes,
  jobOutcomeSchema,
  signPayload,
} from '@plumbline/proto';
import { AppError } from '../errors/AppError.ts';
import type { Sealer } from '../secrets/Sealer.ts';
import type { AgentStore, FinishedJobState, JobRecord } from '../store/AgentStore.ts';
import type { Actor } from '../store/records.ts';
import type { AgentConnection } from './AgentConnection.ts';
import type { TunnelSettings } from './TunnelSettings.ts';

/** No job waits in the outbox, or runs, longer than this (`shared/reference/tunnels.md`). */
export const maxJobLifetimeMs = 24 * 3600_000;

/** Overdue jobs finished per sweep; a sweep that hits it runs again at once. */
const sweepBatch = 200;

const hubActor: Actor = { kind: 'system', id: null, label: 'tunnel hub' };

interface Waiter {
  resolve(outcome: JobOutcome): void;
  onProgress: ((progress: JobProgress) => void) | undefined;
}

export interface JobProgress {
  done: number;
  total: number | undefined;
  message: string | undefined;
}

export interface JobOutboxOptions {
  agents: AgentStore;
  sealer: Sealer;
  logger: Logger;
  settings: TunnelSettings;
  now: () => number;
  /** The agent's live connection in this process, if any. */
  connectionOf: (agentId: string) => AgentConnection | undefined;
  kinds: readonly JobKind[];
}

/**
 * The cloud's side of jobs: an outbox in the store that survives restarts, delivery in seq
 * order, acks, progress and results from the agent, cancellation and deadlines. A job is done
 * once it has an outcome; the first outcome wins, so a late result after a cancel or deadline
 * changes nothing.
 */
export class JobOutbox {
  private readonly options: JobOutboxOptions;
  private readonly log: Logger;
  private readonly kinds = new Map<string, JobKind>();
  // Known shortcoming: waiters live in this process. With several cloud replicas, a job whose
  // result arrives on another replica's connection would not wake a `wait` here until the
  // deadline; one process serves all agents today.
  private readonly waiters = new Map<string, Set<Waiter>>();
  private deadlineTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: JobOutboxOptions) {
    this.options = options;
    this.log = options.logger;
    for (const kind of options.kinds) this.kinds.set(kind.kind, kind);
  }

  /**
   * Validates `params` with the kind's schema, signs a mutating kind with the tenant's key,
   * stores the job and delivers it at once when the agent is connected. Refused beyond
   * `maxUnfinishedJobsPerAgent` unfinished jobs for the agent.
   */
  async enqueue<P>(
    tenantId: string,
    agentId: string,
    kind: JobKind<P>,
    params: P,
    options: { timeoutMs?: number; actor?: Actor } = {},
  ): Promise<{ jobId: string }> {
    this.kinds.set(kind.kind, kind as JobKind);
    const parsed = kind.params.safeParse(params);
    if (!parsed.success) {
      throw new AppError(
        'bad_request',
        `params for a ${kind.kind} job are not valid at ${firstIssueOf(parsed.error)}`,
      );
    }
    const timeoutMs = options.timeoutMs ?? kind.defaultTimeoutMs;
    const allowanceMs = this.options.settings.jobDeliveryAllowanceMs;
    if (
      !Number.isInteger(timeoutMs) ||
      timeoutMs < 1 ||
      timeoutMs + allowanceMs > maxJobLifetimeMs
    ) {
      throw new AppError(
        'bad_request',
        `a job timeout must be 1 to ${maxJobLifetimeMs - allowanceMs} ms, got ${timeoutMs}`,
      );
    }

    const jobId = randomUUID();
    const signature = kind.mutates
      ? await this.sign(tenantId, { jobId, agentId, kind: kind.kind, params: parsed.data })
      : undefined;
    const job = await this.options.agents.enqueueJob(
      tenantId,
      agentId,
      {
        id: jobId,
        kind: kind.kind,
        params: parsed.data,
        signature,
        timeoutMs,
        deadlineAt: this.options.now() + timeoutMs + allowanceMs,
      },
      options.actor ?? hubActor,
    );
    this.log.info({ tenantId, agentId, jobId, kind: kind.kind, seq: job.seq }, 'job enqueued');

    const connection = this.options.connectionOf(agentId);
    if (connection && connection.identity.tenantId === tenantId) {
      await this.deliver(connection, job);
    }
    this.scheduleDeadlines();
    return { jobId };
  }

  /** The job as stored; not found for a job of another tenant. */
  async get(tenantId: string, jobId: string): Promise<JobRecord> {
    return this.options.agents.getJob(tenantId, jobId);
  }

  /**
   * The job's outcome once it has one (a result, `cancelled` or `timed_out`). Progress reports
   * go to `onProgress` while waiting; `signal` stops the wait, not the job.
   */
  async wait(
    tenantId: string,
    jobId: string,
    options: { signal?: AbortSignal; onProgress?: (progress: JobProgress) => void } = {},
  ): Promise<JobOutcome> {
    options.signal?.throwIfAborted();
    // The waiter is registered before the job is read, so an outcome stored in between is
    // seen either by the read or by the waiter.
    return new Promise<JobOutcome>((resolve, reject) => {
      const set = this.waiters.get(jobId) ?? new Set<Waiter>();
      this.waiters.set(jobId, set);
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(jobId) === set) this.waiters.delete(jobId);
        options.signal?.removeEventListener('abort', onAbort);
        finish();
      };
      const onAbort = () => settle(() => reject(options.signal?.reason));
      const waiter: Waiter = {
        resolve: (outcome) => settle(() => resolve(outcome)),
        onProgress: options.onProgress,
      };
      set.add(waiter);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.get(tenantId, jobId).then(
        (job) => {
          if (job.outcome !== null) waiter.resolve(jobOutcomeSchema.parse(job.outcome));
        },
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  /**
   * Cancels a job that has no outcome yet: its outcome becomes `cancelled`, and an agent that
   * may hold it gets `job.cancel`. A finished job is returned unchanged.
   */
  async cancel(tenantId: string, jobId: string, actor: Actor = hubActor): Promise<JobRecord> {
    const job = await this.get(tenantId, jobId);
    if (job.outcome !== null) return job;
    const outcome: JobOutcome = {
      ok: false,
      error: { code: jobErrorCodes.cancelled, message: `cancelled by ${actor.label}` },
    };
    const finished = await this.finish(tenantId, jobId, 'cancelled', outcome, undefined, actor);
    if (job.state !== 'queued') this.sendCancel(job, 'cancelled');
    return finished ?? (await this.get(tenantId, jobId));
  }

  /**
   * At connect: first `job.cancel` for every job cancelled or timed out since the agent was
   * last heard from (it could not hear those cancels), then every job without an outcome in
   * seq order; jobs delivered before are sent again and the agent's journal answers those it
   * already finished.
   */
  async deliverPending(connection: AgentConnection, lastSeenAtMs: number | null): Promise<number> {
    const { tenantId, agentId } = connection.identity;
    if (lastSeenAtMs !== null) {
      const ended = await this.options.agents.jobsEndedSince(tenantId, agentId, lastSeenAtMs);
      for (const job of ended) {
        const reason = job.state === 'timed_out' ? 'deadline passed' : 'cancelled';
        connection.send({ type: 'job.cancel', jobId: job.id, reason });
      }
    }
    // A job enqueued while this runs can be sent twice on this connection; the agent's journal
    // takes the job id as its idempotency key, so it runs once.
    const pending = await this.options.agents.unfinishedJobs(tenantId, agentId);
    for (const job of pending) await this.deliver(connection, job);
    if (pending.length > 0) {
      this.log.info({ tenantId, agentId, jobs: pending.length }, 'jobs delivered at connect');
    }
    return pending.length;
  }

  /** Takes `job.ack`, `job.progress` and `job.result`; false for any other frame. */
  async handleFrame(connection: AgentConnection, frame: AgentFrame): Promise<boolean> {
    switch (frame.type) {
      case 'job.ack':
        await this.recordAck(connection, frame);
        return true;
      case 'job.progress':
        await this.recordProgress(connection, frame);
        return true;
      case 'job.result':
        await this.recordResult(connection, frame);
        return true;
      default:
        return false;
    }
  }

  /** Finishes every job past its deadline as `timed_out`, telling the agent to stop it. */
  async checkDeadlines(): Promise<number> {
    const now = this.options.now();
    let finished = 0;
    for (;;) {
      const overdue = await this.options.agents.overdueJobs(now, sweepBatch);
      for (const job of overdue) {
        const outcome: JobOutcome = {
          ok: false,
          error: {
            code: jobErrorCodes.timedOut,
            message:
              `no result by ${new Date(job.deadlineAt).toISOString()} (timeout ${job.timeoutMs} ` +
              `ms plus ${this.options.settings.jobDeliveryAllowanceMs} ms for delivery)`,
          },
        };
        if (await this.finish(job.tenantId, job.id, 'timed_out', outcome)) finished++;
        if (job.state !== 'queued') this.sendCancel(job, 'deadline passed');
      }
      if (overdue.length < sweepBatch) break;
    }
    return finished;
  }

  /** Sets one timer for the earliest deadline among unfinished jobs. */
  scheduleDeadlines(): void {
    if (this.stopped) return;
    void this.options.agents.nextDeadline().then(
      (at) => {
        clearTimeout(this.deadlineTimer);
        this.deadlineTimer = undefined;
        if (at === undefined || this.stopped) return;
        const delayMs = Math.min(Math.max(0, at - this.options.now()), maxJobLifetimeMs);
        this.deadlineTimer = setTimeout(() => {
          this.checkDeadlines().then(
            () => this.scheduleDeadlines(),
            (error: unknown) => this.log.error({ err: error }, 'job deadline sweep failed'),
          );
        }, delayMs);
        // The server keeps the process alive; this timer alone should not.
        this.deadlineTimer.unref();
      },
      (error: unknown) => this.log.error({ err: error }, 'reading the next job deadline failed'),
    );
  }

  /** Resolves the waiters of jobs that another path (a revocation) finished in the store. */
  async settleWaiters(tenantId: string, jobIds: readonly string[]): Promise<void> {
    for (const jobId of jobIds) {
      const waiters = this.waiters.get(jobId);
      if (!waiters) continue;
      const job = await this.get(tenantId, jobId);
      if (job.outcome === null) continue;
      const outcome = jobOutcomeSchema.parse(job.outcome);
      for (const waiter of [...waiters]) waiter.resolve(outcome);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.deadlineTimer);
  }

  private async deliver(connection: AgentConnection, job: JobRecord): Promise<void> {
    const envelope: JobEnvelope = {
      id: job.id,
      seq: job.seq,
      kind: job.kind,
      params: job.params,
      timeoutMs: job.timeoutMs,
      issuedAtMs: job.createdAt,
      ...(job.signature !== null && { signature: job.signature }),
    };
    connection.send({ type: 'job', job: envelope });
    await this.options.agents.advanceJob(job.tenantId, job.agentId, job.id, 'delivered');
  }

  private async sign(
    tenantId: string,
    job: { jobId: string; agentId: string; kind: string; params: unknown },
  ): Promise<string> {
    const key = await this.options.agents.signingKeyOf(tenantId, this.options.sealer);
    const payload: JobSigningPayload = { purpose: 'plumbline.job.v1', tenantId, ...job };
    return signPayload(payload, key.secretKey);
  }

  private async recordAck(
    connection: AgentConnection,
    frame: FrameOfType<AgentFrame, 'job.ack'>,
  ): Promise<void> {
    const { tenantId, agentId } = connection.identity;
    const state = frame.state === 'started' ? 'running' : 'acked';
    if (!(await this.options.agents.advanceJob(tenantId, agentId, frame.jobId, state))) {
      this.log.debug({ tenantId, agentId, jobId: frame.jobId }, 'job ack for no waiting job');
    }
  }

  private async recordProgress(
    connection: AgentConnection,
    frame: FrameOfType<AgentFrame, 'job.progress'>,
  ): Promise<void> {
    const { tenantId, agentId } = connection.identity;
    const stored = await this.options.agents.recordProgress(tenantId, agentId, frame.jobId, frame);
    if (!stored) {
      this.log.warn({ tenantId, agentId, jobId: frame.jobId }, 'progress for no job of this agent');
      return;
    }
    const progress = { done: frame.done, total: frame.total, message: frame.message };
    for (const waiter of this.waiters.get(frame.jobId) ?? []) waiter.onProgress?.(progress);
  }

  private async recordResult(
    connection: AgentConnection,
    frame: FrameOfType<AgentFrame, 'job.result'>,
  ): Promise<void> {
    const { tenantId, agentId } = connection.identity;
    let job: JobRecord;
    try {
      job = await this.options.agents.getJob(tenantId, frame.jobId);
    } catch {
      this.log.warn({ tenantId, agentId, jobId: frame.jobId }, 'result for an unknown job ignored');
      return;
    }
    if (job.agentId !== agentId) {
      this.log.warn(
        { tenantId, agentId, jobId: frame.jobId, ownerAgentId: job.agentId },
        "result for another agent's job ignored",
      );
      return;
    }
    const outcome = this.checkedOutcome(job.kind, frame.outcome);
    const state: FinishedJobState = outcome.ok ? 'succeeded' : 'failed';
    const finished = await this.finish(tenantId, job.id, state, outcome, agentId);
    this.log.info(
      {
        tenantId,
        agentId,
        jobId: job.id,
        kind: job.kind,
        state: finished ? state : job.state,
        fromJournal: frame.fromJournal,
        ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
      },
      finished ? 'job finished' : 'job result after the job had ended: ignored',
    );
  }

  /** A success whose result does not match its kind's schema becomes `invalid_result`. */
  private checkedOutcome(kindName: string, outcome: JobOutcome): JobOutcome {
    const kind = this.kinds.get(kindName);
    if (!kind || !outcome.ok) return outcome;
    return checkJobResult(kind, outcome.result, `the agent's ${kindName} result is`);
  }

  private async finish(
    tenantId: string,
    jobId: string,
    state: FinishedJobState,
    outcome: JobOutcome,
    agentId?: string,
    actor?: Actor,
  ): Promise<JobRecord | undefined> {
    const finished = await this.options.agents.finishJob(
      tenantId,
      jobId,
      { ...(agentId !== undefined && { agentId }), state, outcome },
      actor,
    );
    if (!finished) return undefined;
    const waiters = this.waiters.get(jobId);
    this.waiters.delete(jobId);
    for (const waiter of waiters ?? []) waiter.resolve(outcome);
    return finished;
  }

  private sendCancel(job: JobRecord, reason: string): void {
    const connection = this.options.connectionOf(job.agentId);
    if (connection && connection.identity.tenantId === job.tenantId) {
      connection.send({ type: 'job.cancel', jobId: job.id, reason });
    }
  }
}
