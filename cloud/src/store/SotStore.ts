import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { AppError } from '../errors/AppError.ts';
import type { Sealer } from '../secrets/Sealer.ts';
import { appendAudit } from './appendAudit.ts';
import { applyMirrorChange, deleteInterfacesOf, replaceLinks } from './applyMirrorChange.ts';
import type { Db } from './openDatabase.ts';
import type { Actor } from './records.ts';
import { type AnyMirrorTable, countMirror, fromDb, tableOf, toDb } from './sotMirrorRows.ts';
import type {
  DeviceDetail,
  Integration,
  InterfaceIpRow,
  LookupRow,
  MirrorChange,
  MirrorRows,
  MirrorTable,
  SyncMode,
  SyncRun,
  SyncState,
  SyncTrigger,
} from './sotRecords.ts';
import {
  sotIntegrations,
  sotInterfaceIps,
  sotInterfaces,
  sotIpAddresses,
  sotLookups,
  sotSyncRuns,
  sotTombstones,
} from './sotSchema.ts';
import { agents } from './tunnelSchema.ts';

export interface NewIntegration {
  name: string;
  baseUrl: string;
  token: string;
  reachableViaAgentId: string | null;
  enabled: boolean;
  resyncIntervalMs: number;
}

export type IntegrationChanges = Partial<NewIntegration>;

export type ProbeOutcome =
  | { ok: true; nautobotVersion: string; apiVersion: string; deviceCount: number }
  | { ok: false; code: string; message: string };

/** A second sync start while one is queued or running; names the run that holds the slot. */
export class SyncAlreadyRunning extends AppError {
  readonly runId: string;

  constructor(runId: string) {
    super('conflict', `a sync run (${runId}) is already queued or running for this integration`);
    this.runId = runId;
  }
}

const activeStates: SyncState[] = ['queued', 'running'];

/**
 * One tenant's Nautobot integrations, their sync runs and mirrors. Every query names the tenant;
 * an integration of another tenant is not found. Changes to integrations are audited in the
 * same transaction; mirror rows written by a sync or a webhook are not audited one by one (the
 * run record and the log line are their record).
 */
export class SotStore {
  private readonly db: Db;
  readonly tenantId: string;
  private readonly now: () => number;

  constructor(db: Db, tenantId: string, now: () => number) {
    this.db = db;
    this.tenantId = tenantId;
    this.now = now;
  }

  async listIntegrations(): Promise<Integration[]> {
    return this.db
      .select()
      .from(sotIntegrations)
      .where(eq(sotIntegrations.tenantId, this.tenantId))
      .orderBy(asc(sotIntegrations.name))
      .all()
      .map(toIntegration);
  }

  async getIntegration(integrationId: string): Promise<Integration> {
    return toIntegration(this.requireIntegration(this.db, integrationId));
  }

  /** Creates an integration; returns it with its webhook secret in clear (for admins to copy). */
  async createIntegration(
    input: NewIntegration,
    sealer: Sealer,
    actor: Actor,
  ): Promise<Integration> {
    const id = randomUUID();
    const now = this.now();
    const row: typeof sotIntegrations.$inferInsert = {
      id,
      tenantId: this.tenantId,
      name: input.name,
      baseUrl: input.baseUrl,
      tokenSealed: sealer.seal(input.token, tokenContext(id)),
      tokenLast4: input.token.slice(-4),
      reachableViaAgentId: input.reachableViaAgentId,
      enabled: input.enabled,
      resyncIntervalMs: input.resyncIntervalMs,
      webhookSlug: randomBytes(18).toString('base64url'),
      webhookSecretSealed: sealer.seal(randomBytes(32).toString('hex'), webhookContext(id)),
      status: 'unknown',
      createdAt: now,
      updatedAt: now,
    };
    this.db.transaction((tx) => {
      if (input.reachableViaAgentId !== null) this.requireAgent(tx, input.reachableViaAgentId);
      tx.insert(sotIntegrations).values(row).run();
      this.audit(tx, actor, 'integration.created', id, publicSettings(input));
    });
    return this.getIntegration(id);
  }

  async updateIntegration(
    integrationId: string,
    changes: IntegrationChanges,
    sealer: Sealer,
    actor: Actor,
  ): Promise<Integration> {
    this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      if (changes.reachableViaAgentId) this.requireAgent(tx, changes.reachableViaAgentId);
      const { token, ...settings } = changes;
      const tokenColumns =
        token === undefined
          ? {}
          : {
              tokenSealed: sealer.seal(token, tokenContext(integrationId)),
              tokenLast4: token.slice(-4),
            };
      // A new address or token makes the last probe meaningless.
      const reprobe =
        token !== undefined || settings.baseUrl !== undefined
          ? { status: 'unknown' as const, statusCode: null, statusMessage: null }
          : {};
      tx.update(sotIntegrations)
        .set({ ...settings, ...tokenColumns, ...reprobe, updatedAt: this.now() })
        .where(this.ownsIntegration(integrationId))
        .run();
      const detail = {
        ...publicSettings(settings),
        ...(token !== undefined && { token: 'replaced' }),
      };
      this.audit(tx, actor, 'integration.updated', integrationId, detail);
    });
    return this.getIntegration(integrationId);
  }

  /** Deletes the integration with its runs and its mirror. */
  async deleteIntegration(integrationId: string, actor: Actor): Promise<void> {
    this.db.transaction((tx) => {
      const row = this.requireIntegration(tx, integrationId);
      tx.delete(sotIntegrations).where(this.ownsIntegration(integrationId)).run();
      this.audit(tx, actor, 'integration.deleted', integrationId, { name: row.name });
    });
  }

  async openToken(integrationId: string, sealer: Sealer): Promise<string> {
    const row = this.requireIntegration(this.db, integrationId);
    return sealer.open(row.tokenSealed, tokenContext(integrationId));
  }

  async openWebhookSecret(integrationId: string, sealer: Sealer): Promise<string> {
    const row = this.requireIntegration(this.db, integrationId);
    return sealer.open(row.webhookSecretSealed, webhookContext(integrationId));
  }

  /** Records what a probe found: green with the version and count, or red with the error. */
  async recordProbe(
    integrationId: string,
    outcome: ProbeOutcome,
    actor: Actor,
  ): Promise<Integration> {
    const status = outcome.ok
      ? {
          status: 'green' as const,
          statusCode: null,
          statusMessage: null,
          nautobotVersion: outcome.nautobotVersion,
          apiVersion: outcome.apiVersion,
          deviceCount: outcome.deviceCount,
        }
      : { status: 'red' as const, statusCode: outcome.code, statusMessage: outcome.message };
    this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      tx.update(sotIntegrations)
        .set({ ...status, probedAt: this.now() })
        .where(this.ownsIntegration(integrationId))
        .run();
      const detail = outcome.ok
        ? { status: 'green', nautobotVersion: outcome.nautobotVersion }
        : { status: 'red', code: outcome.code };
      this.audit(tx, actor, 'integration.probed', integrationId, detail);
    });
    return this.getIntegration(integrationId);
  }

  /** Records an attempt to register the webhook in Nautobot, whether Nautobot took it or not. */
  async recordWebhookRegistration(
    integrationId: string,
    detail: { webhookId: string; created: boolean } | { refusedWith: string },
    actor: Actor,
  ): Promise<void> {
    const action =
      'refusedWith' in detail ? 'integration.webhook_refused' : 'integration.webhook_registered';
    this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      this.audit(tx, actor, action, integrationId, detail);
    });
  }

  /**
   * Queues a sync run. Only one run per integration may be queued or running: a second start
   * throws `SyncAlreadyRunning` naming the first. The check and the insert share a transaction.
   */
  async queueRun(
    integrationId: string,
    mode: SyncMode,
    trigger: SyncTrigger,
    actor: Actor,
  ): Promise<SyncRun> {
    const id = randomUUID();
    this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      const active = tx
        .select({ id: sotSyncRuns.id })
        .from(sotSyncRuns)
        .where(and(this.ownsRunOf(integrationId), inArray(sotSyncRuns.state, activeStates)))
        .get();
      if (active) throw new SyncAlreadyRunning(active.id);
      tx.insert(sotSyncRuns)
        .values({
          id,
          tenantId: this.tenantId,
          integrationId,
          state: 'queued',
          mode,
          trigger,
          fetched: 0,
          total: 0,
          counts: '{}',
          queuedAt: this.now(),
        })
        .run();
      this.audit(tx, actor, 'sync.requested', integrationId, { runId: id, mode, trigger });
    });
    return this.getRun(integrationId, id);
  }

  async markRunning(runId: string): Promise<void> {
    this.db
      .update(sotSyncRuns)
      .set({ state: 'running', startedAt: this.now() })
      .where(and(this.ownsRun(runId), eq(sotSyncRuns.state, 'queued')))
      .run();
  }

  async recordProgress(
    runId: string,
    progress: { fetched: number; total: number; counts: Record<string, number> },
  ): Promise<void> {
    this.db
      .update(sotSyncRuns)
      .set({ ...progress, counts: JSON.stringify(progress.counts) })
      .where(and(this.ownsRun(runId), eq(sotSyncRuns.state, 'running')))
      .run();
  }

  /** Ends a run that did not apply: failed or cancelled. The mirror is not touched. */
  async finishRunWithoutApply(
    runId: string,
    state: 'failed' | 'cancelled',
    error: { code: string; message: string },
  ): Promise<void> {
    this.db
      .update(sotSyncRuns)
      .set({
        state,
        errorCode: error.code,
        errorMessage: error.message,
        finishedAt: this.now(),
      })
      .where(and(this.ownsRun(runId), inArray(sotSyncRuns.state, activeStates)))
      .run();
  }

  /**
   * Applies what a run fetched, marks the run succeeded and moves the integration's watermark,
   * all in one transaction: either the mirror is the new one, or (on any error) the old one.
   */
  async applyRun(
    integrationId: string,
    runId: string,
    change: MirrorChange,
    after: { syncWatermark: string | null; lookupsHash: string; fetched: number; total: number },
  ): Promise<SyncRun> {
    const now = this.now();
    this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      const run = tx.select().from(sotSyncRuns).where(this.ownsRun(runId)).get();
      if (run?.state !== 'running') {
        throw new AppError('conflict', `sync run ${runId} is ${run?.state ?? 'gone'}, not running`);
      }
      applyMirrorChange(tx, this.tenantId, integrationId, change, now);
      const counts = countMirror(tx, integrationId);
      tx.update(sotSyncRuns)
        .set({
          state: 'succeeded',
          // An incremental run that found renamed lookups read everything: say so.
          mode: change.mode,
          fetched: after.fetched,
          total: after.total,
          counts: JSON.stringify(counts),
          finishedAt: now,
        })
        .where(this.ownsRun(runId))
        .run();
      tx.update(sotIntegrations)
        .set({
          syncWatermark: after.syncWatermark,
          lookupsHash: after.lookupsHash,
          lastSyncAt: now,
          ...(change.mode === 'full' && { lastFullSyncAt: now }),
        })
        .where(this.ownsIntegration(integrationId))
        .run();
    });
    return this.getRun(integrationId, runId);
  }

  async listRuns(integrationId: string, limit: number): Promise<SyncRun[]> {
    this.requireIntegration(this.db, integrationId);
    return this.db
      .select()
      .from(sotSyncRuns)
      .where(this.ownsRunOf(integrationId))
      .orderBy(desc(sotSyncRuns.queuedAt))
      .limit(limit)
      .all()
      .map(toRun);
  }

  async getRun(integrationId: string, runId: string): Promise<SyncRun> {
    const row = this.db
      .select()
      .from(sotSyncRuns)
      .where(and(this.ownsRunOf(integrationId), eq(sotSyncRuns.id, runId)))
      .get();
    if (!row)
      throw new AppError('not_found', `no sync run ${runId} for integration ${integrationId}`);
    return toRun(row);
  }

  async activeRun(integrationId: string): Promise<SyncRun | undefined> {
    const row = this.db
      .select()
      .from(sotSyncRuns)
      .where(and(this.ownsRunOf(integrationId), inArray(sotSyncRuns.state, activeStates)))
      .get();
    return row && toRun(row);
  }

  async recordCancelRequest(integrationId: string, runId: string, actor: Actor): Promise<void> {
    this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      this.audit(tx, actor, 'sync.cancel_requested', integrationId, { runId });
    });
  }

  /** Number of rows per mirror table. */
  async mirrorCounts(integrationId: string): Promise<Record<MirrorTable, number>> {
    this.requireIntegration(this.db, integrationId);
    return countMirror(this.db, integrationId);
  }

  /** One mirror table, ordered by id, a page at a time. */
  async listMirror<T extends MirrorTable>(
    integrationId: string,
    table: T,
    page: { limit: number; offset: number },
  ): Promise<MirrorRows[T]> {
    this.requireIntegration(this.db, integrationId);
    const t = tableOf[table];
    return this.db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, this.tenantId), eq(t.integrationId, integrationId)))
      .orderBy(asc(t.id))
      .limit(page.limit)
      .offset(page.offset)
      .all()
      .map(fromDb) as unknown as MirrorRows[T];
  }

  async getMirrorRow<T extends MirrorTable>(
    integrationId: string,
    table: T,
    id: string,
  ): Promise<MirrorRows[T][number] | undefined> {
    const t = tableOf[table];
    const row = this.db
      .select()
      .from(t)
      .where(and(eq(t.tenantId, this.tenantId), eq(t.integrationId, integrationId), eq(t.id, id)))
      .get();
    return row && (fromDb(row) as unknown as MirrorRows[T][number]);
  }

  /** A device with its site name, primary addresses, and interfaces with their addresses. */
  async getDevice(integrationId: string, deviceId: string): Promise<DeviceDetail> {
    this.requireIntegration(this.db, integrationId);
    const device = await this.getMirrorRow(integrationId, 'devices', deviceId);
    if (!device)
      throw new AppError('not_found', `no device ${deviceId} in this integration's mirror`);
    const scope = (t: AnyMirrorTable) =>
      and(eq(t.tenantId, this.tenantId), eq(t.integrationId, integrationId));

    const interfaces = this.db
      .select()
      .from(sotInterfaces)
      .where(and(scope(sotInterfaces), eq(sotInterfaces.deviceId, deviceId)))
      .orderBy(asc(sotInterfaces.name))
      .all()
      .map((row) => fromDb(row) as unknown as DeviceDetail['interfaces'][number]);
    const links = this.db
      .select({
        interfaceId: sotInterfaceIps.interfaceId,
        id: sotIpAddresses.id,
        address: sotIpAddresses.address,
      })
      .from(sotInterfaceIps)
      .innerJoin(
        sotIpAddresses,
        and(
          eq(sotIpAddresses.integrationId, sotInterfaceIps.integrationId),
          eq(sotIpAddresses.id, sotInterfaceIps.ipAddressId),
        ),
      )
      .where(
        and(
          scope(sotInterfaceIps),
          inArray(
            sotInterfaceIps.interfaceId,
            interfaces.map((i) => i.id),
          ),
        ),
      )
      .orderBy(asc(sotIpAddresses.address))
      .all();
    for (const iface of interfaces) {
      iface.ipAddresses = links
        .filter((link) => link.interfaceId === iface.id)
        .map(({ id, address }) => ({ id, address }));
    }

    const site = device.siteId
      ? await this.getMirrorRow(integrationId, 'sites', device.siteId)
      : undefined;
    const address = async (id: string | null) =>
      id === null
        ? null
        : ((await this.getMirrorRow(integrationId, 'ipAddresses', id))?.address ?? null);
    return {
      device: {
        ...device,
        site: site?.name ?? null,
        primaryIp4: await address(device.primaryIp4Id),
        primaryIp6: await address(device.primaryIp6Id),
      },
      interfaces,
    };
  }

  async lookups(integrationId: string): Promise<LookupRow[]> {
    return this.listMirror(integrationId, 'lookups', { limit: 100_000, offset: 0 });
  }

  /**
   * Applies one webhook event. An upsert older than what the mirror holds (by Nautobot's
   * `last_updated`), or older than a delete of the same object, changes nothing; a delete
   * removes the row (and a device's interfaces and links) and leaves a tombstone.
   * Returns whether anything changed.
   */
  async applyWebhookEvent(
    integrationId: string,
    event: WebhookMirrorEvent,
  ): Promise<'applied' | 'stale'> {
    const now = this.now();
    return this.db.transaction((tx) => {
      this.requireIntegration(tx, integrationId);
      const t = tableOf[event.table];
      const key = and(eq(t.integrationId, integrationId), eq(t.id, event.id));
      const existing = tx.select({ lastUpdatedMs: t.lastUpdatedMs }).from(t).where(key).get();
      const tomb = tx
        .select({ lastUpdatedMs: sotTombstones.lastUpdatedMs })
        .from(sotTombstones)
        .where(and(eq(sotTombstones.integrationId, integrationId), eq(sotTombstones.id, event.id)))
        .get();

      if (event.action === 'delete') {
        if (tomb) return 'stale';
        tx.delete(t).where(key).run();
        if (event.table === 'devices') deleteInterfacesOf(tx, integrationId, [event.id]);
        if (event.table === 'interfaces') {
          tx.delete(sotInterfaceIps)
            .where(
              and(
                eq(sotInterfaceIps.integrationId, integrationId),
                eq(sotInterfaceIps.interfaceId, event.id),
              ),
            )
            .run();
        }
        if (event.table === 'ipAddresses') {
          tx.delete(sotInterfaceIps)
            .where(
              and(
                eq(sotInterfaceIps.integrationId, integrationId),
                eq(sotInterfaceIps.ipAddressId, event.id),
              ),
            )
            .run();
        }
        tx.insert(sotTombstones)
          .values({
            tenantId: this.tenantId,
            integrationId,
            id: event.id,
            model: event.table,
            lastUpdatedMs: event.eventTimeMs,
            appliedAt: now,
          })
          .run();
        return 'applied';
      }

      const incoming = event.row.lastUpdatedMs ?? event.eventTimeMs;
      if (tomb && (tomb.lastUpdatedMs ?? 0) >= incoming) return 'stale';
      if (existing && (existing.lastUpdatedMs ?? 0) > incoming) return 'stale';
      if (existing && existing.lastUpdatedMs === incoming && event.row.lastUpdatedMs !== null) {
        return 'stale';
      }
      tx.delete(t).where(key).run();
      tx.insert(t)
        .values(toDb(event.row, this.tenantId, integrationId, now))
        .run();
      if (event.links) replaceLinks(tx, this.tenantId, integrationId, event.links, now);
      return 'applied';
    });
  }

  async upsertLookups(integrationId: string, rows: LookupRow[]): Promise<void> {
    const now = this.now();
    this.db.transaction((tx) => {
      for (const row of rows) {
        tx.delete(sotLookups)
          .where(and(eq(sotLookups.integrationId, integrationId), eq(sotLookups.id, row.id)))
          .run();
        tx.insert(sotLookups)
          .values(toDb(row, this.tenantId, integrationId, now) as never)
          .run();
      }
    });
  }

  private requireIntegration(db: Db, integrationId: string) {
    const row = db.select().from(sotIntegrations).where(this.ownsIntegration(integrationId)).get();
    if (!row) throw new AppError('not_found', `no integration ${integrationId} in this tenant`);
    return row;
  }

  private requireAgent(db: Db, agentId: string): void {
    const agent = db
      .select({ id: agents.id })
      .from(agents)
      .where(
        and(eq(agents.id, agentId), eq(agents.tenantId, this.tenantId), isNull(agents.revokedAt)),
      )
      .get();
    if (!agent) {
      throw new AppError(
        'not_found',
        `no agent ${agentId} in this tenant (or it was revoked); enroll one, then pick its id`,
      );
    }
  }

  private ownsIntegration(integrationId: string) {
    return and(eq(sotIntegrations.tenantId, this.tenantId), eq(sotIntegrations.id, integrationId));
  }

  private ownsRunOf(integrationId: string) {
    return and(
      eq(sotSyncRuns.tenantId, this.tenantId),
      eq(sotSyncRuns.integrationId, integrationId),
    );
  }

  private ownsRun(runId: string) {
    return and(eq(sotSyncRuns.tenantId, this.tenantId), eq(sotSyncRuns.id, runId));
  }

  private audit(
    db: Db,
    actor: Actor,
    action: string,
    integrationId: string,
    detail: Record<string, unknown>,
  ): void {
    const entry = {
      tenantId: this.tenantId,
      action,
      objectType: 'integration',
      objectId: integrationId,
      detail,
    };
    appendAudit(db, actor, entry, this.now());
  }
}

/** One webhook event, mapped to a mirror row (or a deletion). */
export type WebhookMirrorEvent =
  | {
      action: 'upsert';
      table: MirrorTable;
      id: string;
      row: MirrorRows[MirrorTable][number];
      eventTimeMs: number;
      /** For interface and IP events: the links of that object, as the event's data shows them. */
      links?: { side: 'interface' | 'ipAddress'; ownerId: string; rows: InterfaceIpRow[] };
    }
  | { action: 'delete'; table: MirrorTable; id: string; eventTimeMs: number };

const tokenContext = (id: string) => `integration:${id}:token`;
const webhookContext = (id: string) => `integration:${id}:webhook`;

function publicSettings(input: IntegrationChanges): Record<string, unknown> {
  const { token: _token, ...settings } = input;
  return settings;
}

function toIntegration(row: typeof sotIntegrations.$inferSelect): Integration {
  const { tokenSealed: _t, webhookSecretSealed: _w, ...integration } = row;
  return integration;
}

function toRun(row: typeof sotSyncRuns.$inferSelect): SyncRun {
  return { ...row, counts: JSON.parse(row.counts) as Record<string, number> };
}
