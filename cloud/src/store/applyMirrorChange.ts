import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from './openDatabase.ts';
import type { WebhookMirrorEvent } from './SotStore.ts';
import { insertChunkRows, tableOf, toDb } from './sotMirrorRows.ts';
import type { MirrorChange } from './sotRecords.ts';
import { mirrorTables } from './sotRecords.ts';
import { sotInterfaceIps, sotInterfaces, sotTombstones } from './sotSchema.ts';

export function deleteInterfacesOf(db: Db, integrationId: string, deviceIds: string[]): void {
  const ifaceIds = db
    .select({ id: sotInterfaces.id })
    .from(sotInterfaces)
    .where(
      and(
        eq(sotInterfaces.integrationId, integrationId),
        inArray(sotInterfaces.deviceId, deviceIds),
      ),
    )
    .all()
    .map((r) => r.id);
  if (ifaceIds.length === 0) return;
  db.delete(sotInterfaceIps)
    .where(
      and(
        eq(sotInterfaceIps.integrationId, integrationId),
        inArray(sotInterfaceIps.interfaceId, ifaceIds),
      ),
    )
    .run();
  db.delete(sotInterfaces)
    .where(
      and(
        eq(sotInterfaces.integrationId, integrationId),
        inArray(sotInterfaces.deviceId, deviceIds),
      ),
    )
    .run();
}

export function replaceLinks(
  db: Db,
  tenantId: string,
  integrationId: string,
  links: NonNullable<Extract<WebhookMirrorEvent, { action: 'upsert' }>['links']>,
  now: number,
): void {
  const column =
    links.side === 'interface' ? sotInterfaceIps.interfaceId : sotInterfaceIps.ipAddressId;
  const owned = and(eq(sotInterfaceIps.integrationId, integrationId), eq(column, links.ownerId));
  // A webhook shows which addresses sit on an interface, not which is primary: keep what a
  // sync recorded for links that stay.
  const primary = new Map(
    db
      .select({ id: sotInterfaceIps.id, isPrimary: sotInterfaceIps.isPrimary })
      .from(sotInterfaceIps)
      .where(owned)
      .all()
      .map((row) => [row.id, row.isPrimary]),
  );
  db.delete(sotInterfaceIps).where(owned).run();
  for (const row of links.rows) {
    db.delete(sotInterfaceIps)
      .where(and(eq(sotInterfaceIps.integrationId, integrationId), eq(sotInterfaceIps.id, row.id)))
      .run();
    const kept = { ...row, isPrimary: primary.get(row.id) ?? row.isPrimary };
    db.insert(sotInterfaceIps)
      .values(toDb(kept, tenantId, integrationId, now) as never)
      .run();
  }
}

/**
 * Writes a run's rows. A table replaced whole keeps only what the run fetched, except rows a
 * webhook wrote after the run began (newer than what the run saw) and objects a webhook deleted
 * after it began. Changed rows of an incremental run replace older ones.
 */
export function applyMirrorChange(
  db: Db,
  tenantId: string,
  integrationId: string,
  change: MirrorChange,
  now: number,
): void {
  const replaced = change.mode === 'full' ? mirrorTables : change.replace;
  const recentTombs = new Set(
    db
      .select({ id: sotTombstones.id, appliedAt: sotTombstones.appliedAt })
      .from(sotTombstones)
      .where(eq(sotTombstones.integrationId, integrationId))
      .all()
      .filter((r) => r.appliedAt > change.startedAt)
      .map((r) => r.id),
  );

  for (const table of mirrorTables) {
    const t = tableOf[table];
    const rows = change.rows[table] as { id: string; lastUpdatedMs: number | null }[];
    const mine = eq(t.integrationId, integrationId);
    const recent = new Map(
      db
        .select({ id: t.id, lastUpdatedMs: t.lastUpdatedMs, appliedAt: t.appliedAt })
        .from(t)
        .where(mine)
        .all()
        .filter((r: { appliedAt: number }) => r.appliedAt > change.startedAt)
        .map((r: { id: string; lastUpdatedMs: number | null }) => [r.id, r.lastUpdatedMs]),
    );
    const wanted = rows.filter((row) => {
      if (recentTombs.has(row.id)) return false;
      if (!recent.has(row.id)) return true;
      return (row.lastUpdatedMs ?? 0) > (recent.get(row.id) ?? 0);
    });

    if (replaced.includes(table)) {
      db.delete(t)
        .where(and(mine, lte(t.appliedAt, change.startedAt)))
        .run();
    } else {
      const deleted = change.deleted[table] ?? [];
      for (const ids of chunks(deleted, insertChunkRows)) {
        db.delete(t)
          .where(and(mine, inArray(t.id, ids)))
          .run();
        if (table === 'devices') deleteInterfacesOf(db, integrationId, ids);
      }
    }
    for (const ids of chunks(
      wanted.map((row) => row.id),
      insertChunkRows,
    )) {
      db.delete(t)
        .where(and(mine, inArray(t.id, ids)))
        .run();
    }
    for (const batch of chunks(wanted, insertChunkRows)) {
      db.insert(t)
        .values(batch.map((row) => toDb(row, tenantId, integrationId, now)) as never)
        .run();
    }
  }
  if (change.mode === 'full') {
    db.delete(sotTombstones)
      .where(
        and(
          eq(sotTombstones.integrationId, integrationId),
          lte(sotTombstones.appliedAt, change.startedAt),
        ),
      )
      .run();
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
