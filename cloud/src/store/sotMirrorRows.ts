import { count, eq } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './openDatabase.ts';
import { type MirrorTable, mirrorTables } from './sotRecords.ts';
import {
  sotCustomFields,
  sotDevices,
  sotInterfaceIps,
  sotInterfaces,
  sotIpAddresses,
  sotLookups,
  sotPrefixes,
  sotSites,
  sotTags,
} from './sotSchema.ts';

/** The mirror's tables by name, and how their rows go in and out of SQLite. */

// biome-ignore lint/suspicious/noExplicitAny: the mirror tables share columns, not one TS type
export type AnyMirrorTable = SQLiteTable & Record<string, any>;

export const tableOf: Record<MirrorTable, AnyMirrorTable> = {
  lookups: sotLookups,
  sites: sotSites,
  devices: sotDevices,
  interfaces: sotInterfaces,
  ipAddresses: sotIpAddresses,
  interfaceIps: sotInterfaceIps,
  prefixes: sotPrefixes,
  tags: sotTags,
  customFields: sotCustomFields,
};

/** Columns kept as JSON text. */
const jsonColumns = ['tags', 'customFields', 'contentTypes', 'detail', 'defaultValue'];

/** Rows per INSERT: well under SQLite's bound-variable limit for the widest table (~20 columns). */
export const insertChunkRows = 400;

export function toDb(row: object, tenantId: string, integrationId: string, appliedAt: number) {
  const out: Record<string, unknown> = { ...row, tenantId, integrationId, appliedAt };
  for (const column of jsonColumns) {
    if (column in out) out[column] = JSON.stringify(out[column] ?? null);
  }
  if ('ipAddresses' in out) delete out.ipAddresses;
  return out;
}

export function fromDb(row: Record<string, unknown>): Record<string, unknown> {
  const { tenantId: _t, integrationId: _i, appliedAt: _a, ...rest } = row;
  for (const column of jsonColumns) {
    if (typeof rest[column] === 'string') rest[column] = JSON.parse(rest[column] as string);
  }
  return rest;
}

export function countMirror(db: Db, integrationId: string): Record<MirrorTable, number> {
  const counts = {} as Record<MirrorTable, number>;
  for (const table of mirrorTables) {
    const t = tableOf[table];
    const row = db.select({ n: count() }).from(t).where(eq(t.integrationId, integrationId)).get();
    counts[table] = row?.n ?? 0;
  }
  return counts;
}
