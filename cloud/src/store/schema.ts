import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The cloud's tables. Times are integer milliseconds since the epoch (UTC); ids are random
 * UUIDs made by the store, never by callers. Every table that belongs to a tenant has a
 * `tenant_id` column, and only `TenantStore` reads it.
 */

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  displayName: text('display_name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  /** Lower-cased on the way in, so uniqueness is case-insensitive. */
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  /** scrypt hash; null for a user who signs in with API tokens only. */
  passwordHash: text('password_hash'),
  createdAt: integer('created_at').notNull(),
});

export const memberships = sqliteTable(
  'memberships',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['admin', 'approver', 'viewer'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [uniqueIndex('memberships_tenant_user').on(table.tenantId, table.userId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    /** SHA-256 of the whole token, hex. The token itself is never stored. */
    secretHash: text('secret_hash').notNull().unique(),
    /** The first characters of the token, so a person can tell tokens apart in a list. */
    displayPrefix: text('display_prefix').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
  },
  (table) => [index('api_tokens_tenant').on(table.tenantId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    /** SHA-256 of the cookie value, hex; a stolen database holds no usable session. */
    secretHash: text('secret_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [index('sessions_user').on(table.userId)],
);

/** Append-only: triggers in the migration refuse UPDATE and DELETE. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    /** Increasing, so the log has one order even for events in the same millisecond. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    /** Null for events outside any tenant (a user created from the command line). */
    tenantId: text('tenant_id').references(() => tenants.id),
    at: integer('at').notNull(),
    actorKind: text('actor_kind', { enum: ['user', 'token', 'cli', 'system'] }).notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    /** JSON with what changed; never a secret. */
    detail: text('detail').notNull().default(sql`'{}'`),
  },
  (table) => [index('audit_events_tenant_seq').on(table.tenantId, table.seq)],
);
export * from './sotSchema.ts';
export * from './tunnelSchema.ts';
