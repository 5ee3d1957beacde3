import type { ApiToken, AuditEvent, User } from './records.ts';
import type { apiTokens, auditEvents, users } from './schema.ts';

export function toUser(row: typeof users.$inferSelect): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    hasPassword: row.passwordHash !== null,
    createdAt: row.createdAt,
  };
}

export function toApiToken(row: typeof apiTokens.$inferSelect): ApiToken {
  const { secretHash: _secretHash, ...token } = row;
  return token;
}

export function toAuditEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return {
    seq: row.seq,
    id: row.id,
    tenantId: row.tenantId,
    at: row.at,
    actor: { kind: row.actorKind, id: row.actorId, label: row.actorLabel },
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
