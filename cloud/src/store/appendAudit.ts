import { randomUUID } from 'node:crypto';
import type { Db } from './openDatabase.ts';
import type { Actor } from './records.ts';
import { auditEvents } from './schema.ts';

export interface AuditEntry {
  tenantId: string | null;
  action: string;
  objectType: string;
  objectId: string;
  /** What changed, for a person; never a secret. */
  detail?: Record<string, unknown>;
}

/** Writes one audit event; called inside the transaction of the change it records. */
export function appendAudit(db: Db, actor: Actor, entry: AuditEntry, at: number): void {
  db.insert(auditEvents)
    .values({
      id: randomUUID(),
      tenantId: entry.tenantId,
      at,
      actorKind: actor.kind,
      actorId: actor.id,
      actorLabel: actor.label,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .run();
}
