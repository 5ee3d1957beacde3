import type { ApiToken, AuditEvent, Member, Tenant, User } from '../store/records.ts';

/** How records look on the API: times as ISO 8601, never a hash or a secret. */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const tenantView = (tenant: Tenant) => ({
  id: tenant.id,
  slug: tenant.slug,
  displayName: tenant.displayName,
  createdAt: iso(tenant.createdAt),
});

export const userView = (user: User) => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
});

export const memberView = (member: Member) => ({
  ...userView(member.user),
  role: member.role,
  since: iso(member.since),
});

export const tokenView = (token: ApiToken) => ({
  id: token.id,
  userId: token.userId,
  name: token.name,
  displayPrefix: token.displayPrefix,
  createdAt: iso(token.createdAt),
  expiresAt: iso(token.expiresAt),
  revokedAt: iso(token.revokedAt),
  lastUsedAt: iso(token.lastUsedAt),
});

export const auditView = (event: AuditEvent) => ({
  seq: event.seq,
  id: event.id,
  at: iso(event.at),
  actor: event.actor,
  action: event.action,
  objectType: event.objectType,
  objectId: event.objectId,
  detail: event.detail,
});
