import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './openDatabase.ts';
import { sotIntegrations, sotSyncRuns } from './sotSchema.ts';

/** What the scheduler needs to know about an enabled integration. */
export interface ScheduledIntegration {
  tenantId: string;
  integrationId: string;
  resyncIntervalMs: number;
  lastSyncAt: number | null;
  createdAt: number;
}

/**
 * The few questions about integrations that come before any tenant is known: which integration
 * a webhook URL belongs to, which integrations the scheduler must keep fresh. Answers carry the
 * tenant id, and the caller continues through `store.tenant(tenantId).sot()`.
 */
export class SotDirectory {
  private readonly db: Db;
  private readonly now: () => number;

  constructor(db: Db, now: () => number) {
    this.db = db;
    this.now = now;
  }

  async findByWebhookSlug(
    slug: string,
  ): Promise<{ tenantId: string; integrationId: string; enabled: boolean } | undefined> {
    const row = this.db
      .select({
        tenantId: sotIntegrations.tenantId,
        integrationId: sotIntegrations.id,
        enabled: sotIntegrations.enabled,
      })
      .from(sotIntegrations)
      .where(eq(sotIntegrations.webhookSlug, slug))
      .get();
    return row;
  }

  async listEnabled(): Promise<ScheduledIntegration[]> {
    return this.db
      .select({
        tenantId: sotIntegrations.tenantId,
        integrationId: sotIntegrations.id,
        resyncIntervalMs: sotIntegrations.resyncIntervalMs,
        lastSyncAt: sotIntegrations.lastSyncAt,
        createdAt: sotIntegrations.createdAt,
      })
      .from(sotIntegrations)
      .where(eq(sotIntegrations.enabled, true))
      .all();
  }

  /**
   * Runs left queued or running by a process that stopped: nothing is working on them any more,
   * so they are failed (and stop blocking new runs). Called once at start-up.
   */
  async failInterruptedRuns(): Promise<number> {
    const result = this.db
      .update(sotSyncRuns)
      .set({
        state: 'failed',
        errorCode: 'interrupted',
        errorMessage: 'the cloud stopped while this run was in progress; start a new sync',
        finishedAt: this.now(),
      })
      .where(and(inArray(sotSyncRuns.state, ['queued', 'running'])))
      .run();
    return result.changes;
  }
}
