import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type CloudFrame,
  checkJobResult,
  type FrameHandler,
  type FrameLink,
  firstIssueOf,
  type JobEnvelope,
  type JobOutcome,
  type JobSigningPayload,
  jobErrorCodes,
  verifyPayload,
} from '@plumbline/proto';
import type { AgentTimers, TimerHandle } from '../AgentTimers.ts';
import type { JobHandlerRegistry, RegisteredJob } from './JobHandlerRegistry.ts';
import type { JobJournal, JobRecord } from './JobJournal.ts';
import { outcomeOfError } from './outcomeOfError.ts';

export interface JobRunnerOptions {
  registry: JobHandlerRegistry;
  journal: JobJournal;
  /** The pinned identity: who this agent is and whose signature a mutating job needs. */
  identity: () => { agentId: string; tenantId: string; cloudSigningPublicKey: string };
  readOnly: boolean;
  timers: AgentTimers;
  logger: Logger;
  maxConcurrentJobs: number;
  onFinished: (kind: string, outcome: JobOutcome) => void;
}

interface ActiveJob {
  record: JobRecord;
  envelope: JobEnvelope;
  registered: RegisteredJob;
  params: unknown;
  state: 'queued' | 'running';
  controller: AbortController;
  deadline: TimerHandle;
  /** Set once an outcome is decided (or the job was abandoned at stop): later ones are ignored. */
  settled: boolean;
  lastProgressAtMs: number;
  logger: Logger;
}

const progressIntervalMs = 250;

export interface JobStats {
  queued: number;
  running: number;
  oldestReceivedAtMs: number | undefined;
}

/**
 * Runs the cloud's jobs, across links: a job keeps running when its link drops, and its result
 * goes out on whichever link is up when it finishes (or, with none, waits in the journal for the
 * cloud's redelivery). Every outcome is journaled before it is sent.
 */
export class JobRunner {
  private readonly options: JobRunnerOptions;
  private readonly active = new Map<string, ActiveJob>();
  private readonly queue: ActiveJob[] = [];
  private link: FrameLink<AgentFrame> | undefined;
  private running = 0;
  private accepting = true;
  private idleWaiters: Array<() => void> = [];

  constructor(options: JobRunnerOptions) {
    this.options = options;
  }

  /** The handler for one link; the newest link is where results go. */
  handlerFor(link: FrameLink<AgentFrame>): FrameHandler<CloudFrame> {
    this.link = link;
    return {
      handleFrame: (frame) => {
        if (frame.type === 'job') this.receive(frame.job);
        else if (frame.type === 'job.cancel') this.cancel(frame.jobId, frame.reason);
        else return false;
        return true;
      },
      handleData: () => {},
      linkClosed: () => {
        if (this.link === link) this.link = undefined;
      },
    };
  }

  stats(): JobStats {
    let oldest: number | undefined;
    for (const job of this.active.values()) {
      if (oldest === undefined || job.record.receivedAtMs < oldest)
        oldest = job.record.receivedAtMs;
    }
    return { queued: this.queue.length, running: this.running, oldestReceivedAtMs: oldest };
  }

  receive(envelope: JobEnvelope): void {
    const logger = this.options.logger.child({ jobId: envelope.id, kind: envelope.kind });
    if (!this.accepting) {
      logger.info('job not taken: the agent is stopping; the cloud will deliver it again');
      return;
    }
    if (this.answerKnown(envelope, logger)) return;

    const receivedAtMs = this.options.timers.now();
    this.send({ type: 'job.ack', jobId: envelope.id, state: 'received' });
    const checked = this.check(envelope);
    const record: JobRecord = {
      jobId: envelope.id,
      kind: envelope.kind,
      mutates: checked.registered?.kind.mutates ?? false,
      receivedAtMs,
    };
    if (!checked.ok) {
      logger.warn({ code: checked.outcome.error.code }, 'job refused');
      this.conclude(record, checked.outcome, logger);
      return;
    }
    this.enqueue(envelope, record, checked.registered, checked.params, logger);
  }

  cancel(jobId: string, reason: string): void {
    const job = this.active.get(jobId);
    if (job === undefined) {
      this.options.logger.info({ jobId }, 'cancel for a job that is not running; nothing to do');
      return;
    }
    job.controller.abort(new Error('cancelled'));
    this.settle(job, {
      ok: false,
      error: { code: jobErrorCodes.cancelled, message: `cancelled by the cloud: ${reason}` },
    });
  }

  /**
   * Takes no more jobs, drops the queued ones (never started: the cloud redelivers them), lets
   * running ones finish for up to `graceMs`, then aborts the rest and leaves them `started` in
   * the journal, so the next start treats them as interrupted.
   */
  async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    for (const job of this.queue.splice(0)) this.abandon(job);
    if (this.running > 0) {
      const { timers } = this.options;
      let timer: TimerHandle | undefined;
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        timer = timers.setTimeout(resolve, graceMs);
      });
      if (timer !== undefined) timers.clearTimeout(timer);
    }
    for (const job of [...this.active.values()]) {
      job.logger.warn('job still running at the end of the stop grace period: aborted');
      job.controller.abort(new Error('the agent is stopping'));
      this.abandon(job);
    }
  }

  /** A job seen before: answer from the journal, or attach to the run in progress. */
  private answerKnown(envelope: JobEnvelope, logger: Logger): boolean {
    const entry = this.options.journal.lookup(envelope.id);
    if (entry?.state === 'finished') {
      logger.info('job delivered again: answering from the journal');
      this.send({
        type: 'job.result',
        jobId: envelope.id,
        outcome: entry.outcome,
        fromJournal: true,
      });
      return true;
    }
    const running = this.active.get(envelope.id);
    if (running !== undefined) {
      logger.info({ state: running.state }, 'job delivered again while in progress');
      this.send({ type: 'job.ack', jobId: envelope.id, state: 'received' });
      if (running.state === 'running') {
        this.send({ type: 'job.ack', jobId: envelope.id, state: 'started' });
      }
      return true;
    }
    if (entry?.state === 'started' && entry.mutates) {
      // Started by this process and abandoned (a journal write failed mid-way, or a drain):
      // it may have acted, so it is not run again.
      this.conclude(
        {
          jobId: envelope.id,
          kind: entry.kind,
          mutates: true,
          receivedAtMs: this.options.timers.now(),
        },
        {
          ok: false,
          error: { code: jobErrorCodes.interrupted, message: 'this job was started and abandoned' },
        },
        logger,
      );
      return true;
    }
    return false;
  }

  private check(
    envelope: JobEnvelope,
  ):
    | { ok: true; registered: RegisteredJob; params: unknown }
    | { ok: false; registered: RegisteredJob | undefined; outcome: JobOutcome & { ok: false } } {
    const registered = this.options.registry.get(envelope.kind);
    const refuse = (code: string, message: string) => ({
      ok: false as const,
      registered,
      outcome: { ok: false as const, error: { code, message } },
    });
    if (registered === undefined) {
      return refuse(
        jobErrorCodes.unknownKind,
        `this agent has no handler for job kind "${envelope.kind}"; it runs ` +
          `${this.options.registry.kinds().join(', ')}. Upgrade the agent`,
      );
    }
    const params = registered.kind.params.safeParse(envelope.params);
    if (!params.success) {
      return refuse(
        jobErrorCodes.invalidParams,
        `params of a ${envelope.kind} job are not valid at ${firstIssueOf(params.error)}`,
      );
    }
    if (registered.kind.mutates) {
      const refusal = this.checkMutating(envelope);
      if (refusal !== undefined) return refuse(refusal.code, refusal.message);
    }
    return { ok: true, registered, params: params.data };
  }

  private checkMutating(envelope: JobEnvelope): { code: string; message: string } | undefined {
    const identity = this.options.identity();
    if (envelope.signature === undefined) {
      return {
        code: jobErrorCodes.unsigned,
        message: `a ${envelope.kind} job changes the network and must be signed by the cloud`,
      };
    }
    const payload: JobSigningPayload = {
      purpose: 'plumbline.job.v1',
      jobId: envelope.id,
      agentId: identity.agentId,
      tenantId: identity.tenantId,
      kind: envelope.kind,
      params: envelope.params,
    };
    if (!verifyPayload(payload, envelope.signature, identity.cloudSigningPublicKey)) {
      return {
        code: jobErrorCodes.badSignature,
        message:
          'the job signature does not verify against the cloud key pinned at enrollment; ' +
          'the job was altered or not meant for this agent',
      };
    }
    if (this.options.readOnly) {
      return {
        code: jobErrorCodes.readOnly,
        message:
          `this agent runs --read-only and refuses ${envelope.kind} jobs, ` +
          'which change the network',
      };
    }
    return undefined;
  }

  /**
   * SHORTCOMING: the queue is not bounded here; the cloud's outbox decides how many jobs are
   * in flight to one agent. A cloud that sent without limit would grow this agent's memory.
   */
  private enqueue(
    envelope: JobEnvelope,
    record: JobRecord,
    registered: RegisteredJob,
    params: unknown,
    logger: Logger,
  ): void {
    const { timers } = this.options;
    const job: ActiveJob = {
      record,
      envelope,
      registered,
      params,
      state: 'queued',
      controller: new AbortController(),
      deadline: undefined,
      settled: false,
      lastProgressAtMs: Number.NEGATIVE_INFINITY,
      logger,
    };
    job.deadline = timers.setTimeout(() => this.timeOut(job), envelope.timeoutMs);
    this.active.set(envelope.id, job);
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrentJobs && this.queue.length > 0) {
      const job = this.queue.shift();
      if (job !== undefined) this.start(job);
    }
  }

  private start(job: ActiveJob): void {
    const { journal, timers } = this.options;
    try {
      // Only a mutating job needs its start on disk (to end `interrupted` after a crash); a
      // read-only one would be forgotten then anyway, so it is spared the fsync.
      if (job.record.mutates) journal.recordStarted(job.record, timers.now());
    } catch (error) {
      job.logger.error({ err: error }, 'cannot journal the start of a job: not running it');
      this.settle(job, outcomeOfError(error));
      return;
    }
    job.state = 'running';
    this.running++;
    this.send({ type: 'job.ack', jobId: job.record.jobId, state: 'started' });
    const context = {
      signal: job.controller.signal,
      logger: job.logger,
      progress: (done: number, total?: number, message?: string) => {
        if (job.settled) return;
        // At most one frame per progressIntervalMs, but always the last step, so a handler
        // that reports every device of thousands does not flood the link.
        const nowMs = timers.now();
        const last = done === total;
        if (!last && nowMs - job.lastProgressAtMs < progressIntervalMs) return;
        job.lastProgressAtMs = nowMs;
        this.send({
          type: 'job.progress',
          jobId: job.record.jobId,
          done,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message: message.slice(0, 2000) }),
        });
      },
    };
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(job.registered.handler(job.params, context));
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (result) => this.settle(job, this.checkResult(job, result)),
      (error: unknown) => this.settle(job, outcomeOfError(error)),
    );
  }

  private checkResult(job: ActiveJob, result: unknown): JobOutcome {
    const subject = `the ${job.record.kind} handler returned a result`;
    return checkJobResult(job.registered.kind, result, subject);
  }

  private timeOut(job: ActiveJob): void {
    if (job.settled) return;
    job.controller.abort(new Error('timed out'));
    this.settle(job, {
      ok: false,
      error: {
        code: jobErrorCodes.timedOut,
        message: `no result within ${job.envelope.timeoutMs} ms of receipt`,
      },
    });
  }

  private settle(job: ActiveJob, outcome: JobOutcome): void {
    if (job.settled) return;
    this.release(job);
    this.conclude(job.record, outcome, job.logger);
  }

  /** Out of the active set without an outcome: it stays `started` in the journal. */
  private abandon(job: ActiveJob): void {
    if (job.settled) return;
    this.release(job);
  }

  /**
   * Frees the job's slot. SHORTCOMING: a handler that ignores its aborted signal keeps running
   * after a cancel or deadline, outside the concurrency limit, until it returns on its own; its
   * late result is dropped. Handlers must honour `signal` (the drivers do).
   */
  private release(job: ActiveJob): void {
    job.settled = true;
    this.options.timers.clearTimeout(job.deadline);
    this.active.delete(job.record.jobId);
    const index = this.queue.indexOf(job);
    if (index >= 0) this.queue.splice(index, 1);
    if (job.state === 'running') this.running--;
    if (this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.accepting) this.pump();
  }

  /** Journal first, then send: the cloud never holds a result the agent could forget. */
  private conclude(record: JobRecord, outcome: JobOutcome, logger: Logger): void {
    const { journal, timers } = this.options;
    try {
      journal.recordFinished(record, outcome, timers.now());
    } catch (error) {
      logger.error({ err: error }, 'cannot journal a job outcome; sending it anyway');
    }
    this.options.onFinished(record.kind, outcome);
    logger.info(
      { ok: outcome.ok, code: outcome.ok ? undefined : outcome.error.code },
      'job finished',
    );
    this.send({ type: 'job.result', jobId: record.jobId, outcome, fromJournal: false });
  }

  private send(frame: AgentFrame): void {
    this.link?.send(frame);
  }
}
