import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Role } from '../auth/Role.ts';
import { generateSecret, hashPassword, hashSecret, verifyPassword } from '../auth/secrets.ts';
import { AppError } from '../errors/AppError.ts';
import { AgentStore } from './AgentStore.ts';
import { appendAudit } from './appendAudit.ts';
import { type NewTenant, type NewUser, newTenantSchema, newUserSchema } from './inputs.ts';
import { type Db, openDatabase } from './openDatabase.ts';
import type { Actor, Principal, Tenant, User } from './records.ts';
import { toApiToken, toUser } from './rowMappers.ts';
import { SotDirectory } from './SotDirectory.ts';
import { apiTokens, memberships, sessions, tenants, users } from './schema.ts';
import { TenantStore } from './TenantStore.ts';

export interface StoreOptions {
  /** The directory that holds `plumbline.db`; `:memory:` for a database that lives in memory. */
  dataDir: string;
  /** Milliseconds since the epoch; injectable so tests move time without sleeping. */
  now?: () => number;
}

/** A token's last-used time is written at most this often, so reads do not all become writes. */
const lastUsedWriteIntervalMs = 60_000;

export const databaseFileName = 'plumbline.db';

/**
 * The one way into the cloud's data. Methods here cover what exists outside any tenant (tenants
 * themselves, users, credentials); everything inside a tenant goes through `tenant(id)`, whose
 * every query is bound to that tenant. Methods are async although SQLite answers synchronously,
 * so that a PostgreSQL store can take this one's place without touching callers.
 */
export class Store {
  private readonly db: Db;
  private readonly sqlite: Database.Database;
  readonly now: () => number;
  private decoyPasswordHash: string | undefined;

  private constructor(db: Db, sqlite: Database.Database, now: () => number) {
    this.db = db;
    this.sqlite = sqlite;
    this.now = now;
  }

  static open(options: StoreOptions): Store {
    const file =
      options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, databaseFileName);
    const { db, sqlite } = openDatabase(file);
    return new Store(db, sqlite, options.now ?? Date.now);
  }

  /** The data of one tenant, and nothing else. The caller has checked access to it. */
  tenant(tenantId: string): TenantStore {
    return new TenantStore(this.db, tenantId, this.now);
  }

  /** Agents, enrollment, signing keys and the job outbox; tenant-bound per method. */
  agents(): AgentStore {
    return new AgentStore(this.db, this.now);
  }

  /** Integrations found by webhook slug or for the scheduler, across tenants. */
  sotDirectory(): SotDirectory {
    return new SotDirectory(this.db, this.now);
  }

  async ping(): Promise<void> {
    this.sqlite.prepare('select 1').get();
  }

  async close(): Promise<void> {
    if (this.sqlite.open) this.sqlite.close();
  }

  async createTenant(input: NewTenant, actor: Actor): Promise<Tenant> {
    const { slug, displayName } = newTenantSchema.parse(input);
    const tenant: Tenant = { id: randomUUID(), slug, displayName, createdAt: this.now() };
    this.db.transaction((tx) => {
      if (tx.select().from(tenants).where(eq(tenants.slug, slug)).get()) {
        throw new AppError('conflict', `a tenant with slug "${slug}" already exists`);
      }
      tx.insert(tenants).values(tenant).run();
      appendAudit(
        tx,
        actor,
        {
          tenantId: tenant.id,
          action: 'tenant.created',
          objectType: 'tenant',
          objectId: tenant.id,
          detail: { slug, displayName },
        },
        tenant.createdAt,
      );
    });
    return tenant;
  }

  async findTenantBySlug(slug: string): Promise<Tenant | undefined> {
    return this.db.select().from(tenants).where(eq(tenants.slug, slug)).get();
  }

  async createUser(input: NewUser, actor: Actor): Promise<User> {
    const { email, displayName, password } = newUserSchema.parse(input);
    const passwordHash = password === undefined ? null : await hashPassword(password);
    const row = { id: randomUUID(), email, displayName, passwordHash, createdAt: this.now() };
    this.db.transaction((tx) => {
      if (tx.select().from(users).where(eq(users.email, email)).get()) {
        throw new AppError('conflict', `a user with email ${email} already exists`);
      }
      tx.insert(users).values(row).run();
      appendAudit(
        tx,
        actor,
        {
          tenantId: null,
          action: 'user.created',
          objectType: 'user',
          objectId: row.id,
          detail: { email },
        },
        row.createdAt,
      );
    });
    return toUser(row);
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const row = this.db.select().from(users).where(eq(users.email, email.toLowerCase())).get();
    return row && toUser(row);
  }

  /** The tenants a user belongs to, with the role in each, by slug. */
  async membershipsOf(userId: string): Promise<{ tenant: Tenant; role: Role }[]> {
    return this.db
      .select({ tenant: tenants, role: memberships.role })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(tenants.slug))
      .all();
  }

  async roleOf(userId: string, tenantId: string): Promise<Role | undefined> {
    const row = this.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)))
      .get();
    return row?.role;
  }

  /**
   * The principal behind an API token, or undefined when the token is unknown, expired,
   * revoked, or its user is no longer a member of the token's tenant. The role is the user's
   * role now, not when the token was made.
   */
  async authenticateToken(token: string): Promise<Principal | undefined> {
    const now = this.now();
    const found = this.db
      .select({ token: apiTokens, user: users, role: memberships.role })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .innerJoin(
        memberships,
        and(eq(memberships.userId, apiTokens.userId), eq(memberships.tenantId, apiTokens.tenantId)),
      )
      .where(eq(apiTokens.secretHash, hashSecret(token)))
      .get();
    if (!found || found.token.revokedAt !== null) return undefined;
    if (found.token.expiresAt !== null && found.token.expiresAt <= now) return undefined;

    if (
      found.token.lastUsedAt === null ||
      now - found.token.lastUsedAt >= lastUsedWriteIntervalMs
    ) {
      this.db
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(eq(apiTokens.id, found.token.id))
        .run();
      found.token.lastUsedAt = now;
    }
    return {
      kind: 'token',
      user: toUser(found.user),
      token: toApiToken(found.token),
      tenantId: found.token.tenantId,
      role: found.role,
    };
  }

  /**
   * Checks an email and password; undefined for either being wrong, so neither is revealed.
   * An unknown email still costs one scrypt, so the answer's timing does not tell either.
   */
  async verifyLogin(email: string, password: string): Promise<User | undefined> {
    const row = this.db.select().from(users).where(eq(users.email, email.toLowerCase())).get();
    this.decoyPasswordHash ??= await hashPassword(generateSecret());
    const matches = await verifyPassword(password, row?.passwordHash ?? this.decoyPasswordHash);
    return row?.passwordHash && matches ? toUser(row) : undefined;
  }

  /**
   * Starts a web session for `user` and records the sign-in in the audit log (outside any tenant)
   * in the same transaction. Expired sessions are swept here; that is housekeeping, not audited.
   */
  async createSession(
    user: User,
    ttlMs: number,
  ): Promise<{ secret: string; csrfToken: string; expiresAt: number }> {
    const now = this.now();
    const secret = generateSecret();
    const session = {
      id: randomUUID(),
      secretHash: hashSecret(secret),
      userId: user.id,
      csrfToken: generateSecret(),
      createdAt: now,
      expiresAt: now + ttlMs,
    };
    this.db.transaction((tx) => {
      tx.delete(sessions).where(lt(sessions.expiresAt, now)).run();
      tx.insert(sessions).values(session).run();
      this.auditSession(tx, user, 'session.created', session.id, now);
    });
    return { secret, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  }

  async authenticateSession(secret: string): Promise<Principal | undefined> {
    const found = this.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.secretHash, hashSecret(secret)), gt(sessions.expiresAt, this.now())))
      .get();
    if (!found) return undefined;
    return {
      kind: 'session',
      user: toUser(found.user),
      sessionId: found.session.id,
      csrfToken: found.session.csrfToken,
    };
  }

  /** Ends a session (sign-out) and records it, in one transaction. */
  async deleteSession(sessionId: string, user: User): Promise<void> {
    this.db.transaction((tx) => {
      tx.delete(sessions).where(eq(sessions.id, sessionId)).run();
      this.auditSession(tx, user, 'session.ended', sessionId, this.now());
    });
  }

  private auditSession(db: Db, user: User, action: string, sessionId: string, at: number): void {
    const actor: Actor = { kind: 'user', id: user.id, label: user.email };
    const entry = { tenantId: null, action, objectType: 'session', objectId: sessionId };
    appendAudit(db, actor, entry, at);
  }
}
