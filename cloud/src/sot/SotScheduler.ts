import type { Logger } from '@plumbline/log';
import { SyncAlreadyRunning } from '../store/SotStore.ts';
import type { Store } from '../store/Store.ts';
import type { SyncRunner } from './SyncRunner.ts';

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SchedulerOptions {
  store: Store;
  runner: SyncRunner;
  logger: Logger;
  /** How often due integrations are looked for; 30 s by default. */
  checkIntervalMs?: number;
  timers?: Timers;
}

const systemActor = { kind: 'system' as const, id: null, label: 'resync schedule' };

/**
 * Keeps mirrors fresh: every `checkIntervalMs` it starts a sync (incremental when it can) for
 * each enabled integration whose last run is older than its resync interval, and which has no
 * run in progress. Time comes from the store's clock, ticks from injectable timers.
 */
export class SotScheduler {
  private readonly options: SchedulerOptions;
  private handle: unknown;
  private ticking: Promise<void> | undefined;
  /** When each integration's last scheduled start was tried: a failing one waits an interval. */
  private readonly attemptedAt = new Map<string, number>();

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  start(): void {
    const timers = this.options.timers ?? globalThis;
    this.handle = timers.setInterval(() => {
      this.ticking ??= this.tick().then(
        () => {
          this.ticking = undefined;
        },
        (error: unknown) => {
          this.ticking = undefined;
          this.options.logger.error({ err: error }, 'resync schedule check failed');
        },
      );
    }, this.options.checkIntervalMs ?? 30_000);
  }

  async stop(): Promise<void> {
    const timers = this.options.timers ?? globalThis;
    if (this.handle !== undefined) timers.clearInterval(this.handle as NodeJS.Timeout);
    this.handle = undefined;
    await this.ticking;
  }

  /** One look for due integrations; returns the ids of the runs it started. */
  async tick(): Promise<string[]> {
    const { store, runner, logger } = this.options;
    const now = store.now();
    const started: string[] = [];
    for (const due of await store.sotDirectory().listEnabled()) {
      const since = Math.max(
        due.lastSyncAt ?? Number.NEGATIVE_INFINITY,
        this.attemptedAt.get(due.integrationId) ?? Number.NEGATIVE_INFINITY,
      );
      if (now - since < due.resyncIntervalMs || runner.isRunning(due.integrationId)) continue;
      this.attemptedAt.set(due.integrationId, now);
      try {
        const run = await runner.start(due.tenantId, due.integrationId, {
          mode: 'auto',
          trigger: 'schedule',
          actor: systemActor,
        });
        started.push(run.id);
      } catch (error) {
        if (error instanceof SyncAlreadyRunning) continue;
        logger.error({ err: error, ...due }, 'scheduled sync could not start');
      }
    }
    return started;
  }
}
