import type { Role } from '../auth/Role.ts';

/** Who made a change, as the audit log records it. */
export interface Actor {
  kind: 'user' | 'token' | 'cli' | 'system';
  /** The user id for `user` and `token` actors. */
  id: string | null;
  /** What a person reads in the log: an email, `token "ci" of a@b.c`, `cli`. */
  label: string;
}

export interface Tenant {
  id: string;
  slug: string;
  displayName: string;
  createdAt: number;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  hasPassword: boolean;
  createdAt: number;
}

export interface Member {
  user: User;
  role: Role;
  since: number;
}

export interface ApiToken {
  id: string;
  tenantId: string;
  userId: string;
  name: string;
  displayPrefix: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface AuditEvent {
  seq: number;
  id: string;
  tenantId: string | null;
  at: number;
  actor: Actor;
  action: string;
  objectType: string;
  objectId: string;
  detail: Record<string, unknown>;
}

/** Who a request acts as, once its token or session cookie has been checked. */
export type Principal =
  | { kind: 'token'; user: User; token: ApiToken; tenantId: string; role: Role }
  | { kind: 'session'; user: User; sessionId: string; csrfToken: string };
