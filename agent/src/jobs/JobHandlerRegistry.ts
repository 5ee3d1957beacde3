import type { Logger } from '@plumbline/log';
import { type JobKind, noopJob } from '@plumbline/proto';

export interface JobContext {
  /** Aborted on cancel, on the deadline, and when the agent stops past its grace period. */
  signal: AbortSignal;
  progress(done: number, total?: number, message?: string): void;
  logger: Logger;
}

export type JobHandler<P, R> = (params: P, context: JobContext) => Promise<R>;

export interface RegisteredJob {
  kind: JobKind;
  handler: JobHandler<unknown, unknown>;
}

/** The job kinds this agent runs, each with its handler. `noop` is there from the start. */
export class JobHandlerRegistry {
  private readonly jobs = new Map<string, RegisteredJob>();

  constructor() {
    this.register(noopJob, async (params) => ({ ...(params.payload === undefined ? {} : params) }));
  }

  register<P, R>(kind: JobKind<P, R>, handler: JobHandler<P, R>): this {
    if (this.jobs.has(kind.kind) && kind.kind !== noopJob.kind) {
      throw new Error(`job kind "${kind.kind}" is registered twice`);
    }
    this.jobs.set(kind.kind, {
      kind: kind as JobKind,
      handler: handler as JobHandler<unknown, unknown>,
    });
    return this;
  }

  get(kind: string): RegisteredJob | undefined {
    return this.jobs.get(kind);
  }

  kinds(): string[] {
    return [...this.jobs.keys()];
  }
}
