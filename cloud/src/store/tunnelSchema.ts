import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { tenants } from './schema.ts';

/**
 * The tunnel's tables: enrolled agents, their keys, single-use enrollment tokens, each tenant's
 * job-signing key and the job outbox. Times are integer milliseconds since the epoch.
 */

export const agents = sqliteTable(
  'agents',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    /** What the agent reported when it enrolled or last authenticated. */
    version: text('version').notNull(),
    lastAddress: text('last_address'),
    /** Set while a connection is authenticated; null when offline. */
    connectedSince: integer('connected_since'),
    lastSeenAt: integer('last_seen_at'),
    /** Whether the agent said, at its last authentication, that it runs `--read-only`. */
    readOnly: integer('read_only', { mode: 'boolean' }).notNull().default(false),
    /** Set when an admin asked for a key rotation the agent has not done yet. */
    rotationRequestedAt: integer('rotation_requested_at'),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (table) => [index('agents_tenant').on(table.tenantId)],
);

/** At most two valid keys per agent: the current one and, during a rotation, the new one. */
export const agentKeys = sqliteTable(
  'agent_keys',
  {
    keyId: text('key_id').primaryKey(),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** ed25519, base64. Unique: the key alone names the agent and so the tenant. */
    publicKey: text('public_key').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    retiredAt: integer('retired_at'),
  },
  (table) => [index('agent_keys_agent').on(table.agentId)],
);

export const enrollmentTokens = sqliteTable(
  'enrollment_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** SHA-256 of the token, hex; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedByAgentId: text('used_by_agent_id'),
  },
  (table) => [index('enrollment_tokens_tenant').on(table.tenantId)],
);

/** Each tenant's ed25519 job-signing key; the secret half sealed with the Sealer. */
export const tenantSigningKeys = sqliteTable('tenant_signing_keys', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  publicKey: text('public_key').notNull(),
  sealedSecretKey: text('sealed_secret_key').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const jobStates = [
  'queued',
  'delivered',
  'acked',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
] as const;

/** The outbox: every job the cloud gave an agent, kept until and after its outcome. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id),
    /** Increasing per agent: the order jobs were created and are delivered in. */
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    params: text('params').notNull(),
    signature: text('signature'),
    timeoutMs: integer('timeout_ms').notNull(),
    state: text('state', { enum: jobStates }).notNull(),
    /** JSON of the proto `JobOutcome` once finished. */
    outcome: text('outcome'),
    progressDone: integer('progress_done'),
    progressTotal: integer('progress_total'),
    progressMessage: text('progress_message'),
    createdAt: integer('created_at').notNull(),
    deadlineAt: integer('deadline_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('jobs_agent_seq').on(table.agentId, table.seq),
    index('jobs_tenant_agent_state').on(table.tenantId, table.agentId, table.state),
    index('jobs_state_deadline').on(table.state, table.deadlineAt),
  ],
);
