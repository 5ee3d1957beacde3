import { isNautobotError } from '@plumbline/nautobot';
import type { Actor } from '../store/records.ts';
import type {
  Integration,
  MirrorChange,
  MirrorTable,
  SyncMode,
  SyncRun,
  SyncTrigger,
} from '../store/sotRecords.ts';
import { fetchInventory, type Inventory } from './fetchInventory.ts';
import { hashNames, mapInventory } from './mapInventory.ts';
import { openNautobotClient } from './openNautobotClient.ts';
import type { SotDeps } from './SotDeps.ts';

/** Incremental runs re-read objects changed this long before the newest change seen last time. */
export const watermarkOverlapMs = 5 * 60_000;
/** An incremental run becomes full when the last full one is older than this. */
export const fullSyncEveryMs = 24 * 60 * 60_000;
/** The run row's progress is written at most this often while pages arrive. */
export const progressWriteIntervalMs = 500;

/** Tables an incremental run replaces whole (see `wholeResources` in fetchInventory). */
const replacedByIncremental: MirrorTable[] = [
  'lookups',
  'tags',
  'customFields',
  'interfaces',
  'interfaceIps',
];

export interface StartOptions {
  /** `auto` picks incremental when a watermark exists and the last full run is recent. */
  mode: SyncMode | 'auto';
  trigger: SyncTrigger;
  actor: Actor;
}

interface ActiveRun {
  tenantId: string;
  integrationId: string;
  controller: AbortController;
  cancelledBy?: string;
  done: Promise<void>;
}

/**
 * Starts sync runs and runs them in the background, one at a time per integration (the store
 * refuses a second). A run reads everything first, then applies it in one transaction: a run
 * that fails or is cancelled leaves the mirror as it was.
 */
export class SyncRunner {
  private readonly deps: SotDeps;
  private readonly active = new Map<string, ActiveRun>();

  constructor(deps: SotDeps) {
    this.deps = deps;
  }

  async start(tenantId: string, integrationId: string, options: StartOptions): Promise<SyncRun> {
    const sot = this.deps.store.tenant(tenantId).sot();
    const integration = await sot.getIntegration(integrationId);
    const mode = this.chooseMode(integration, options.mode);
    const run = await sot.queueRun(integrationId, mode, options.trigger, options.actor);

    const controller = new AbortController();
    const entry: ActiveRun = { tenantId, integrationId, controller, done: Promise.resolve() };
    this.active.set(run.id, entry);
    entry.done = this.execute(integration, run, controller.signal)
      .catch((error: unknown) => {
        // execute records its own failures; this is only what went wrong while recording them.
        this.deps.logger.error({ err: error, runId: run.id }, 'sync run could not be recorded');
      })
      .finally(() => {
        this.active.delete(run.id);
      });
    return run;
  }

  /** Asks a running run to stop; it ends `cancelled` and the mirror stays as it was. */
  async cancel(tenantId: string, integrationId: string, runId: string, actor: Actor) {
    const sot = this.deps.store.tenant(tenantId).sot();
    const run = await sot.getRun(integrationId, runId);
    if (run.state !== 'queued' && run.state !== 'running') return run;
    await sot.recordCancelRequest(integrationId, runId, actor);
    const entry = this.active.get(runId);
    if (entry) {
      entry.cancelledBy = actor.label;
      entry.controller.abort();
      await entry.done;
    } else {
      await sot.finishRunWithoutApply(runId, 'cancelled', cancelledError(actor.label));
    }
    return sot.getRun(integrationId, runId);
  }

  /** Whether a run of this integration is in progress in this process. */
  isRunning(integrationId: string): boolean {
    return [...this.active.values()].some((run) => run.integrationId === integrationId);
  }

  /** Resolves when no run is in progress (runs started meanwhile included). */
  async idle(): Promise<void> {
    while (this.active.size > 0) {
      await Promise.all([...this.active.values()].map((run) => run.done));
    }
  }

  /** Cancels every run in progress and waits for them to end. */
  async stop(): Promise<void> {
    for (const run of this.active.values()) {
      run.cancelledBy = 'the cloud shutting down';
      run.controller.abort();
    }
    await this.idle();
  }

  private chooseMode(integration: Integration, requested: SyncMode | 'auto'): SyncMode {
    if (requested !== 'auto') return requested;
    const now = this.deps.store.now();
    const recentFull =
      integration.lastFullSyncAt !== null && now - integration.lastFullSyncAt < fullSyncEveryMs;
    return integration.syncWatermark !== null && recentFull ? 'incremental' : 'full';
  }

  private async execute(integration: Integration, run: SyncRun, signal: AbortSignal) {
    const { store, logger } = this.deps;
    const sot = store.tenant(integration.tenantId).sot();
    const ids = { tenantId: integration.tenantId, integrationId: integration.id, runId: run.id };
    const log = logger.child(ids);
    const startedMs = performance.now();
    const startedAt = store.now();
    await sot.markRunning(run.id);
    log.info({ mode: run.mode, trigger: run.trigger }, 'sync run started');

    let mode = run.mode;
    let lastWriteAt = Number.NEGATIVE_INFINITY;
    let fetched = 0;
    let total = 0;
    const onProgress = (done: number, all: number, counts: Record<string, number>) => {
      fetched = done;
      total = all;
      const now = store.now();
      if (now - lastWriteAt < progressWriteIntervalMs) return;
      lastWriteAt = now;
      sot.recordProgress(run.id, { fetched: done, total: all, counts }).catch((error: unknown) => {
        log.warn({ err: error }, 'could not record sync progress');
      });
    };

    try {
      const client = await openNautobotClient(this.deps, integration);
      const since = mode === 'incremental' ? integration.syncWatermark : null;
      let inventory = await fetchInventory(client, { changedSince: since, signal, onProgress });
      let rows = mapInventory(inventory);
      const namesHash = hashNames(rows.lookups, rows.tags);
      if (mode === 'incremental' && namesHash !== integration.lookupsHash) {
        // A renamed manufacturer, platform, status or tag changes rows that did not change.
        log.info('names changed since the last run: reading everything');
        mode = 'full';
        inventory = await fetchInventory(client, { changedSince: null, signal, onProgress });
        rows = mapInventory(inventory);
      }
      const change: MirrorChange = {
        mode,
        rows,
        replace: mode === 'full' ? [] : replacedByIncremental,
        deleted: {
          sites: inventory.deletedIds.locations ?? [],
          devices: inventory.deletedIds.devices ?? [],
          prefixes: inventory.deletedIds.prefixes ?? [],
          ipAddresses: inventory.deletedIds.ipAddresses ?? [],
        },
        startedAt,
      };
      signal.throwIfAborted();
      const done = await sot.applyRun(integration.id, run.id, change, {
        syncWatermark: nextWatermark(inventory, integration.syncWatermark),
        lookupsHash: hashNames(rows.lookups, rows.tags),
        fetched,
        total,
      });
      const durationMs = Math.round(performance.now() - startedMs);
      log.info({ mode, counts: done.counts, fetched, durationMs }, 'sync run succeeded');
    } catch (error) {
      const entry = this.active.get(run.id);
      const cancelled = signal.aborted;
      const failure = cancelled ? cancelledError(entry?.cancelledBy ?? 'someone') : describe(error);
      await sot.finishRunWithoutApply(run.id, cancelled ? 'cancelled' : 'failed', failure);
      const durationMs = Math.round(performance.now() - startedMs);
      const fields = { mode, code: failure.code, fetched, total, durationMs };
      if (cancelled) log.info(fields, 'sync run cancelled; the mirror is unchanged');
      else if (failure.code === 'internal') log.error({ ...fields, err: error }, 'sync run failed');
      else
        log.warn(
          { ...fields, message: failure.message },
          'sync run failed; the mirror is unchanged',
        );
    }
  }
}

function cancelledError(by: string) {
  return { code: 'cancelled', message: `cancelled by ${by}; the mirror is unchanged` };
}

/** A NautobotError as Nautobot's own words for people; anything else reveals nothing. */
function describe(error: unknown): { code: string; message: string } {
  if (isNautobotError(error)) return { code: error.code, message: error.message };
  return {
    code: 'internal',
    message: 'the sync failed inside the cloud; the server log has the details',
  };
}

/**
 * The Nautobot time the next incremental run filters from: the newest `last_updated` this run
 * saw, less an overlap for changes committed late. Nautobot's clock, never the cloud's.
 */
export function nextWatermark(inventory: Inventory, previous: string | null): string | null {
  let newest = Number.NEGATIVE_INFINITY;
  for (const list of Object.values(inventory)) {
    if (!Array.isArray(list)) continue;
    for (const item of list as { last_updated?: string | null }[]) {
      const at = item.last_updated ? Date.parse(item.last_updated) : Number.NaN;
      if (at > newest) newest = at;
    }
  }
  if (!Number.isFinite(newest)) return previous;
  return new Date(newest - watermarkOverlapMs).toISOString();
}
