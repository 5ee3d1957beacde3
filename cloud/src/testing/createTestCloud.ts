import { createLogger, type Logger } from '@plumbline/log';
import type Database from 'better-sqlite3';
import type { Role } from '../auth/Role.ts';
import { createApp } from '../http/createApp.ts';
import { createMetrics } from '../metrics/createMetrics.ts';
import { Sealer } from '../secrets/Sealer.ts';
import type { Actor } from '../store/records.ts';
import { Store } from '../store/Store.ts';

/** A cloud app on an in-memory store with a clock the test moves; no socket is opened. */
export interface TestCloud {
  store: Store;
  sealer: Sealer;
  app: ReturnType<typeof createApp>['app'];
  tenants: ReturnType<typeof createApp>['tenants'];
  clock: { nowMs: number; advance(ms: number): void };
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
}

export interface RequestOptions {
  token?: string;
  cookie?: string;
  csrfToken?: string;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

export const cliActor: Actor = { kind: 'cli', id: null, label: 'test' };

export function createTestCloud(
  options: { maxBodyBytes?: number; logger?: Logger } = {},
): TestCloud {
  const clock = {
    nowMs: Date.parse('2026-06-01T00:00:00Z'),
    advance(ms: number) {
      clock.nowMs += ms;
    },
  };
  const store = Store.open({ dataDir: ':memory:', now: () => clock.nowMs });
  const sealer = Sealer.ephemeral();
  const { app, tenants } = createApp({
    store,
    sealer,
    logger: options.logger ?? createLogger({ name: 'test', level: 'silent' }),
    metrics: createMetrics(),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    session: { ttlMs: 3_600_000, secureCookies: false },
    accepting: () => true,
  });

  const request = async (method: string, path: string, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.csrfToken) headers['x-csrf-token'] = opts.csrfToken;
    let body: string | undefined;
    if (opts.rawBody !== undefined || opts.body !== undefined) {
      body = opts.rawBody ?? JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    const response = await app.request(path, {
      method,
      headers,
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  return { store, sealer, app, tenants, clock, request };
}

/**
 * The SQLite connection under a store, for tests that must do what no caller can (break a
 * table on purpose, try to edit the audit log). Reaches into a private field on purpose.
 */
export function rawDatabase(store: Store): Database.Database {
  return (store as unknown as { sqlite: Database.Database }).sqlite;
}

/** A tenant with a member of each role, each with a token, plus one more token to act on. */
export interface TenantFixture {
  slug: string;
  tenantId: string;
  users: Record<Role, { id: string; email: string; token: string; tokenId: string }>;
  password: string;
}

/** `withPasswords: false` skips three scrypt hashes, for tests that only use tokens. */
export async function addTenantFixture(
  cloud: TestCloud,
  slug: string,
  options: { withPasswords?: boolean } = {},
): Promise<TenantFixture> {
  const tenant = await cloud.store.createTenant({ slug, displayName: `Tenant ${slug}` }, cliActor);
  const scope = cloud.store.tenant(tenant.id);
  const password = `correct horse ${slug}`;
  const withPassword = options.withPasswords === false ? {} : { password };
  const users = {} as TenantFixture['users'];
  for (const role of ['admin', 'approver', 'viewer'] as const) {
    const email = `${role}@${slug}.test`;
    const user = await cloud.store.createUser(
      { email, displayName: role, ...withPassword },
      cliActor,
    );
    await scope.addMember({ email, role }, cliActor);
    const { token, secret } = await scope.createToken(
      { userId: user.id, name: `${role} token` },
      cliActor,
    );
    users[role] = { id: user.id, email, token: secret, tokenId: token.id };
  }
  return { slug, tenantId: tenant.id, users, password };
}

/** Signs in through the API and returns the cookie header and the session's CSRF token. */
export async function signIn(cloud: TestCloud, email: string, password: string) {
  const response = await cloud.request('POST', '/api/v1/session', { body: { email, password } });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const { csrfToken } = response.json as { csrfToken: string };
  return { cookie, csrfToken, status: response.status, setCookie };
}
