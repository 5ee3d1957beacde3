import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Role } from '../auth/Role.ts';
import { generateApiToken, hashSecret } from '../auth/secrets.ts';
import { AppError } from '../errors/AppError.ts';
import { appendAudit } from './appendAudit.ts';
import {
  displayNameSchema,
  type NewMember,
  type NewToken,
  newMemberSchema,
  newTokenSchema,
} from './inputs.ts';
import type { Db } from './openDatabase.ts';
import type { Actor, ApiToken, AuditEvent, Member, Tenant } from './records.ts';
import { toApiToken, toAuditEvent, toUser } from './rowMappers.ts';
import { SotStore } from './SotStore.ts';
import { apiTokens, auditEvents, memberships, tenants, users } from './schema.ts';

/**
 * Everything inside one tenant. Each query names `tenantId`, so no caller can reach another
 * tenant's rows through it; an id from another tenant is simply not found. Every change writes
 * its audit event in the same transaction, so a change and its record stand or fall together.
 */
export class TenantStore {
  private readonly db: Db;
  readonly tenantId: string;
  private readonly now: () => number;

  constructor(db: Db, tenantId: string, now: () => number) {
    this.db = db;
    this.tenantId = tenantId;
    this.now = now;
  }

  /** This tenant's Nautobot integrations, sync runs and mirrors. */
  sot(): SotStore {
    return new SotStore(this.db, this.tenantId, this.now);
  }

  async getTenant(): Promise<Tenant> {
    const tenant = this.db.select().from(tenants).where(eq(tenants.id, this.tenantId)).get();
    if (!tenant) throw new AppError('not_found', 'tenant not found');
    return tenant;
  }

  async renameTenant(displayName: string, actor: Actor): Promise<Tenant> {
    const name = displayNameSchema.parse(displayName);
    this.db.transaction((tx) => {
      tx.update(tenants).set({ displayName: name }).where(eq(tenants.id, this.tenantId)).run();
      this.audit(tx, actor, 'tenant.renamed', 'tenant', this.tenantId, { displayName: name });
    });
    return this.getTenant();
  }

  async listMembers(): Promise<Member[]> {
    const rows = this.db
      .select({ user: users, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, this.tenantId))
      .orderBy(asc(users.email))
      .all();
    return rows.map((row) => ({ user: toUser(row.user), role: row.role, since: row.since }));
  }

  async getMember(userId: string): Promise<Member> {
    const row = this.db
      .select({ user: users, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.userId, userId)))
      .get();
    if (!row) throw new AppError('not_found', `no member with user id ${userId} in this tenant`);
    return { user: toUser(row.user), role: row.role, since: row.since };
  }

  /** Adds a user by email with a role, creating the user (without a password) when new. */
  async addMember(input: NewMember, actor: Actor): Promise<Member> {
    const { email, displayName, role } = newMemberSchema.parse(input);
    const now = this.now();
    const userId = this.db.transaction((tx) => {
      let user = tx.select().from(users).where(eq(users.email, email)).get();
      if (!user) {
        user = {
          id: randomUUID(),
          email,
          displayName: displayName ?? email,
          passwordHash: null,
          createdAt: now,
        };
        tx.insert(users).values(user).run();
        this.audit(tx, actor, 'user.created', 'user', user.id, { email });
      }
      const existing = tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.userId, user.id)))
        .get();
      if (existing) {
        throw new AppError(
          'conflict',
          `${email} is already a member (role ${existing.role}); change the role instead`,
        );
      }
      tx.insert(memberships)
        .values({ tenantId: this.tenantId, userId: user.id, role, createdAt: now })
        .run();
      this.audit(tx, actor, 'member.added', 'user', user.id, { email, role });
      return user.id;
    });
    return this.getMember(userId);
  }

  async setMemberRole(userId: string, role: Role, actor: Actor): Promise<Member> {
    this.db.transaction((tx) => {
      const member = this.requireMembership(tx, userId);
      if (member.role === 'admin' && role !== 'admin') this.refuseLastAdmin(tx, 'demote');
      tx.update(memberships)
        .set({ role })
        .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.userId, userId)))
        .run();
      this.audit(tx, actor, 'member.role_changed', 'user', userId, { from: member.role, to: role });
    });
    return this.getMember(userId);
  }

  /** Removes a member and revokes their tokens in this tenant. */
  async removeMember(userId: string, actor: Actor): Promise<void> {
    this.db.transaction((tx) => {
      const member = this.requireMembership(tx, userId);
      if (member.role === 'admin') this.refuseLastAdmin(tx, 'remove');
      tx.delete(memberships)
        .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.userId, userId)))
        .run();
      tx.update(apiTokens)
        .set({ revokedAt: this.now() })
        .where(and(this.ownsToken(), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .run();
      this.audit(tx, actor, 'member.removed', 'user', userId, { role: member.role });
    });
  }

  /** Tokens of this tenant, newest first; only `userId`'s when given. */
  async listTokens(filter: { userId?: string } = {}): Promise<ApiToken[]> {
    const byUser = filter.userId === undefined ? undefined : eq(apiTokens.userId, filter.userId);
    return this.db
      .select()
      .from(apiTokens)
      .where(and(this.ownsToken(), byUser))
      .orderBy(desc(apiTokens.createdAt))
      .all()
      .map(toApiToken);
  }

  async getToken(tokenId: string, filter: { userId?: string } = {}): Promise<ApiToken> {
    const byUser = filter.userId === undefined ? undefined : eq(apiTokens.userId, filter.userId);
    const row = this.db
      .select()
      .from(apiTokens)
      .where(and(this.ownsToken(), eq(apiTokens.id, tokenId), byUser))
      .get();
    if (!row) throw new AppError('not_found', `no API token with id ${tokenId} in this tenant`);
    return toApiToken(row);
  }

  /** Makes a token for a member. The secret is returned here once and never stored. */
  async createToken(input: NewToken, actor: Actor): Promise<{ token: ApiToken; secret: string }> {
    const { userId, name, expiresInDays } = newTokenSchema.parse(input);
    const now = this.now();
    const expiresAt = expiresInDays === undefined ? null : now + expiresInDays * 86_400_000;
    const secret = generateApiToken();
    const row = {
      id: randomUUID(),
      tenantId: this.tenantId,
      userId,
      name,
      secretHash: hashSecret(secret),
      displayPrefix: secret.slice(0, 10),
      createdAt: now,
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
    };
    this.db.transaction((tx) => {
      this.requireMembership(tx, userId);
      tx.insert(apiTokens).values(row).run();
      this.audit(tx, actor, 'token.created', 'api_token', row.id, {
        name,
        userId,
        expiresAt: row.expiresAt,
      });
    });
    return { token: toApiToken(row), secret };
  }

  /** Revokes a token; revoking a revoked token changes nothing and is no error. */
  async revokeToken(tokenId: string, actor: Actor): Promise<ApiToken> {
    const token = await this.getToken(tokenId);
    if (token.revokedAt !== null) return token;
    const revokedAt = this.now();
    this.db.transaction((tx) => {
      tx.update(apiTokens)
        .set({ revokedAt })
        .where(and(this.ownsToken(), eq(apiTokens.id, tokenId)))
        .run();
      this.audit(tx, actor, 'token.revoked', 'api_token', tokenId, { name: token.name });
    });
    return { ...token, revokedAt };
  }

  /** Audit events, newest first, `limit` at a time; pass the last `seq` seen to page back. */
  async listAudit(page: { limit: number; beforeSeq?: number }): Promise<AuditEvent[]> {
    const before = page.beforeSeq === undefined ? undefined : lt(auditEvents.seq, page.beforeSeq);
    return this.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, this.tenantId), before))
      .orderBy(desc(auditEvents.seq))
      .limit(page.limit)
      .all()
      .map(toAuditEvent);
  }

  private ownsToken() {
    return eq(apiTokens.tenantId, this.tenantId);
  }

  private requireMembership(db: Db, userId: string): { role: Role } {
    const member = db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.userId, userId)))
      .get();
    if (!member) throw new AppError('not_found', `no member with user id ${userId} in this tenant`);
    return member;
  }

  /** A tenant always keeps one admin, or nobody could manage it through the API again. */
  private refuseLastAdmin(db: Db, verb: 'demote' | 'remove'): void {
    const admins = db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.tenantId, this.tenantId), eq(memberships.role, 'admin')))
      .get();
    if ((admins?.n ?? 0) <= 1) {
      throw new AppError(
        'conflict',
        `cannot ${verb} the last admin of this tenant; make another admin first`,
      );
    }
  }

  private audit(
    db: Db,
    actor: Actor,
    action: string,
    objectType: string,
    objectId: string,
    detail: Record<string, unknown>,
  ): void {
    appendAudit(
      db,
      actor,
      { tenantId: this.tenantId, action, objectType, objectId, detail },
      this.now(),
    );
  }
}
