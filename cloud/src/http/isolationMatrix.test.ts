import { randomUUID } from 'node:crypto';
import { generateSigningKeyPair } from '@plumbline/proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { roleAllows } from '../auth/Role.ts';
import {
  addTenantFixture,
  cliActor,
  createTestCloud,
  rawDatabase,
  signIn,
  type TenantFixture,
  type TestCloud,
} from '../testing/createTestCloud.ts';
import { mirrorDeviceRow } from '../testing/mirrorDeviceRow.ts';
import { type TenantRoute, tenantPathPrefix } from './TenantRouter.ts';

/**
 * Every route inside a tenant, walked from the router's own list. A new route joins by adding
 * a line to `fixtures`: the path parameters to fill from a tenant's fixture, and a body that is
 * valid for it. The first test fails until it has one.
 */
interface RouteFixture {
  params?: (t: MatrixTenant) => Record<string, string>;
  body?: unknown;
  /** A valid body that names an object of tenant `other` (a user id, say): must be not found. */
  foreignBody?: (other: MatrixTenant) => unknown;
}

/**
 * A tenant fixture plus an enrolled agent with one queued job, for the agent routes, and two
 * Nautobot integrations (at a closed port): one idle with a mirrored device, one with a queued
 * sync run.
 */
type MatrixTenant = TenantFixture & {
  agentId: string;
  jobId: string;
  integrationId: string;
  deviceId: string;
  busyIntegrationId: string;
  runId: string;
};

async function addMatrixTenant(
  cloud: TestCloud,
  slug: string,
  options: { withPasswords?: boolean } = {},
): Promise<MatrixTenant> {
  const t = await addTenantFixture(cloud, slug, options);
  const agents = cloud.store.agents();
  const { token } = await agents.createEnrollmentToken(t.tenantId, 3_600_000, cliActor);
  const { publicKey } = generateSigningKeyPair();
  const { agent } = await agents.enroll({ token, publicKey, name: 'edge', agentVersion: 'test' });
  const job = {
    id: randomUUID(),
    kind: 'noop',
    params: {},
    signature: undefined,
    timeoutMs: 30_000,
    deadlineAt: cloud.clock.nowMs + 3_600_000,
  };
  await agents.enqueueJob(t.tenantId, agent.id, job, cliActor);
  return { ...t, agentId: agent.id, jobId: job.id, ...(await addIntegrations(cloud, t)) };
}

const closedNautobot = 'http://127.0.0.1:9';

async function addIntegrations(cloud: TestCloud, t: TenantFixture) {
  const sot = cloud.store.tenant(t.tenantId).sot();
  const settings = {
    baseUrl: closedNautobot,
    token: 'matrix0matrix0matrix0matrix0matrix01234',
    reachableViaAgentId: null,
    enabled: false,
    resyncIntervalMs: 900_000,
  };
  const idle = await sot.createIntegration({ ...settings, name: 'idle' }, cloud.sealer, cliActor);
  const busy = await sot.createIntegration({ ...settings, name: 'busy' }, cloud.sealer, cliActor);
  const run = await sot.queueRun(busy.id, 'full', 'manual', cliActor);
  const deviceId = randomUUID();
  await sot.applyWebhookEvent(idle.id, {
    action: 'upsert',
    table: 'devices',
    id: deviceId,
    eventTimeMs: cloud.clock.nowMs,
    row: mirrorDeviceRow(deviceId, cloud.clock.nowMs),
  });
  return { integrationId: idle.id, deviceId, busyIntegrationId: busy.id, runId: run.id };
}

const integrationParams = (t: MatrixTenant) => ({ integrationId: t.integrationId });
const runParams = (t: MatrixTenant) => ({ integrationId: t.busyIntegrationId, runId: t.runId });
const newIntegration = { name: 'matrix', baseUrl: closedNautobot, token: 'm'.repeat(40) };

const agentParams = (t: MatrixTenant) => ({ agentId: t.agentId });

const fixtures: Record<string, RouteFixture> = {
  'GET ': {},
  'PATCH ': { body: { displayName: 'Renamed' } },
  'GET /members': {},
  'POST /members': { body: { email: 'new@example.test', role: 'viewer' } },
  'GET /members/:userId': { params: (t) => ({ userId: t.users.approver.id }) },
  'PATCH /members/:userId': {
    params: (t) => ({ userId: t.users.approver.id }),
    body: { role: 'viewer' },
  },
  'DELETE /members/:userId': { params: (t) => ({ userId: t.users.approver.id }) },
  'GET /tokens': {},
  'POST /tokens': {
    body: { name: 'matrix' },
    foreignBody: (other) => ({ name: 'matrix', userId: other.users.viewer.id }),
  },
  'GET /tokens/:tokenId': { params: (t) => ({ tokenId: t.users.approver.tokenId }) },
  'DELETE /tokens/:tokenId': { params: (t) => ({ tokenId: t.users.approver.tokenId }) },
  'GET /audit': {},
  'POST /agents/enrollment-tokens': { body: {} },
  'GET /agents': {},
  'GET /agents/:agentId': { params: agentParams },
  'POST /agents/:agentId/revoke': { params: agentParams },
  'POST /agents/:agentId/rotate-key': { params: agentParams },
  'GET /agents/:agentId/jobs': { params: agentParams },
  'GET /jobs/:jobId': { params: (t) => ({ jobId: t.jobId }) },
  'POST /jobs/:jobId/cancel': { params: (t) => ({ jobId: t.jobId }) },
  'GET /integrations': {},
  'POST /integrations': {
    body: newIntegration,
    foreignBody: (other) => ({ ...newIntegration, reachableViaAgentId: other.agentId }),
  },
  'GET /integrations/:integrationId': { params: integrationParams },
  'PATCH /integrations/:integrationId': { params: integrationParams, body: { name: 'Renamed' } },
  'DELETE /integrations/:integrationId': { params: integrationParams },
  'POST /integrations/:integrationId/probe': { params: integrationParams },
  'POST /integrations/:integrationId/register-webhook': { params: integrationParams },
  'POST /integrations/:integrationId/sync': { params: integrationParams, body: {} },
  'GET /integrations/:integrationId/sync-runs': { params: integrationParams },
  'GET /integrations/:integrationId/sync-runs/:runId': { params: runParams },
  'POST /integrations/:integrationId/sync-runs/:runId/cancel': { params: runParams },
  'GET /integrations/:integrationId/devices/:deviceId': {
    params: (t) => ({ integrationId: t.integrationId, deviceId: t.deviceId }),
  },
  'GET /integrations/:integrationId/sites': { params: integrationParams },
  'GET /integrations/:integrationId/devices': { params: integrationParams },
  'GET /integrations/:integrationId/interfaces': { params: integrationParams },
  'GET /integrations/:integrationId/ip-addresses': { params: integrationParams },
  'GET /integrations/:integrationId/prefixes': { params: integrationParams },
  'GET /integrations/:integrationId/tags': { params: integrationParams },
  'GET /integrations/:integrationId/custom-fields': { params: integrationParams },
};

/**
 * The API routes outside any tenant. Anything else under /api must be added through
 * `TenantRouter`, so that `tenantAccess` guards it and this matrix walks it.
 */
const routesOutsideTenants = [
  'POST /api/v1/session',
  'DELETE /api/v1/session',
  'GET /api/v1/me',
  'GET /api/v1/tenants',
  'POST /api/v1/agents/enroll',
  // Nautobot's deliveries: the slug names the integration, the HMAC signature proves the sender.
  'POST /api/v1/sot/webhooks/:webhookSlug',
];

const keyOf = (route: TenantRoute) => `${route.method} ${route.path}`;

function urlFor(route: TenantRoute, slug: string, params: Record<string, string>): string {
  const path = route.path.replace(
    /:(\w+)/g,
    (_, name: string) => params[name] ?? `missing-${name}`,
  );
  return `${tenantPathPrefix.replace(':tenant', slug)}${path}`;
}

function fixtureOf(route: TenantRoute): RouteFixture {
  const fixture = fixtures[keyOf(route)];
  if (!fixture) throw new Error(`no isolation fixture for ${keyOf(route)}`);
  return fixture;
}

/** Everything in a tenant that a wrongly allowed request could change. */
async function snapshot(cloud: TestCloud, t: MatrixTenant) {
  const scope = cloud.store.tenant(t.tenantId);
  return JSON.stringify({
    tenant: await scope.getTenant(),
    members: await scope.listMembers(),
    tokens: await scope.listTokens(),
    audit: await scope.listAudit({ limit: 500 }),
    agents: await cloud.store.agents().listAgents(t.tenantId),
    jobs: await cloud.store.agents().listJobs(t.tenantId, t.agentId, { limit: 100 }),
    ...(await integrationsOf(cloud, t)),
  });
}

/** Integrations with their runs and mirror counts, without ids that differ between fixtures. */
async function integrationsOf(cloud: TestCloud, t: MatrixTenant) {
  const sot = cloud.store.tenant(t.tenantId).sot();
  const integrations = await sot.listIntegrations();
  const content = [];
  for (const i of integrations) {
    const runs = await sot.listRuns(i.id, 100);
    content.push({
      name: i.name,
      status: i.status,
      enabled: i.enabled,
      runs: runs.map((run) => [run.state, run.mode, run.trigger]),
      mirror: await sot.mirrorCounts(i.id),
    });
  }
  return { integrations: content };
}

describe('tenant isolation matrix', () => {
  let cloud: TestCloud;
  let a: MatrixTenant;
  let b: MatrixTenant;
  let routes: TenantRoute[];

  beforeAll(async () => {
    cloud = createTestCloud();
    a = await addMatrixTenant(cloud, 'alpha');
    b = await addMatrixTenant(cloud, 'bravo');
    routes = cloud.tenants.routes;
  });

  it('covers every route under the tenant prefix, and each has a fixture', () => {
    const registered = cloud.app.routes
      .filter((r) => r.path.startsWith(tenantPathPrefix) && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.slice(tenantPathPrefix.length)}`);
    expect(new Set(registered)).toEqual(new Set(routes.map(keyOf)));
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(routes.map(keyOf).filter((key) => !fixtures[key])).toEqual([]);
  });

  it('finds no API route outside a tenant but the listed ones', () => {
    const handlers = cloud.app.routes.filter((r) => r.path.startsWith('/api/'));
    const outside = handlers
      .filter((r) => !r.path.startsWith(tenantPathPrefix))
      .filter((r) => !(r.method === 'ALL' && r.path === '/api/*'))
      .map((r) => `${r.method} ${r.path}`);
    expect(new Set(outside)).toEqual(new Set(routesOutsideTenants));
    const catchAll = handlers.filter(
      (r) => r.path.startsWith(tenantPathPrefix) && r.method === 'ALL',
    );
    expect(catchAll).toEqual([]);
  });

  it("answers 404 to tenant A's token asking for tenant B's objects, and changes nothing", async () => {
    const before = await snapshot(cloud, b);
    for (const route of routes) {
      const fixture = fixtureOf(route);
      const url = urlFor(route, b.slug, fixture.params?.(b) ?? {});
      for (const role of ['admin', 'viewer'] as const) {
        const response = await cloud.request(route.method, url, {
          token: a.users[role].token,
          body: fixture.body,
        });
        expect({ route: keyOf(route), role, status: response.status, body: response.json }).toEqual(
          {
            route: keyOf(route),
            role,
            status: 404,
            body: { error: { code: 'not_found', message: 'tenant "bravo" not found' } },
          },
        );
      }
    }
    expect(await snapshot(cloud, b)).toBe(before);
  });

  it("answers 404 to tenant B's object ids under tenant A's own path", async () => {
    const before = await snapshot(cloud, b);
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      const fixture = fixtureOf(route);
      const url = urlFor(route, a.slug, fixture.params?.(b) ?? {});
      const response = await cloud.request(route.method, url, {
        token: a.users.admin.token,
        body: fixture.body,
      });
      expect({ route: keyOf(route), status: response.status }).toEqual({
        route: keyOf(route),
        status: 404,
      });
    }
    expect(await snapshot(cloud, b)).toBe(before);
  });

  it("answers 404 to B's objects named in the body of a request to A", async () => {
    const before = await snapshot(cloud, b);
    const naming = routes.filter((r) => fixtureOf(r).foreignBody !== undefined);
    expect(naming.length).toBeGreaterThan(0);
    for (const route of naming) {
      const fixture = fixtureOf(route);
      const response = await cloud.request(route.method, urlFor(route, a.slug, {}), {
        token: a.users.admin.token,
        body: fixture.foreignBody?.(b),
      });
      expect({ route: keyOf(route), status: response.status }).toEqual({
        route: keyOf(route),
        status: 404,
      });
    }
    expect(await snapshot(cloud, b)).toBe(before);
  });

  it("answers 404 to a signed-in member of A asking for B's objects", async () => {
    const session = await signIn(cloud, a.users.admin.email, a.password);
    const before = await snapshot(cloud, b);
    for (const route of routes) {
      const fixture = fixtureOf(route);
      const response = await cloud.request(
        route.method,
        urlFor(route, b.slug, fixture.params?.(b) ?? {}),
        {
          cookie: session.cookie,
          csrfToken: session.csrfToken,
          body: fixture.body,
        },
      );
      expect({ route: keyOf(route), status: response.status }).toEqual({
        route: keyOf(route),
        status: 404,
      });
    }
    expect(await snapshot(cloud, b)).toBe(before);
  });

  it('answers 403 to a viewer asking to change anything, and changes nothing', async () => {
    const changing = routes.filter((r) => r.method !== 'GET' && !roleAllows('viewer', r.minRole));
    expect(changing.map(keyOf)).toEqual(routes.filter((r) => r.method !== 'GET').map(keyOf));
    const before = await snapshot(cloud, a);
    for (const route of changing) {
      const fixture = fixtureOf(route);
      const response = await cloud.request(
        route.method,
        urlFor(route, a.slug, fixture.params?.(a) ?? {}),
        {
          token: a.users.viewer.token,
          body: fixture.body,
        },
      );
      expect({
        route: keyOf(route),
        status: response.status,
        code: errorCode(response.json),
      }).toEqual({
        route: keyOf(route),
        status: 403,
        code: 'forbidden',
      });
    }
    expect(await snapshot(cloud, a)).toBe(before);
  });

  it("lets tenant A's admin do each of these in A, so the refusals above are not vacuous", async () => {
    for (const route of routes) {
      const { fresh, own, response } = await asAdminInFreshTenant(route);
      expect({ route: keyOf(route), ok: response.status < 300 }).toEqual({
        route: keyOf(route),
        ok: true,
      });
      if (route.method === 'GET') continue;

      const [newest] = await fresh.store.tenant(own.tenantId).listAudit({ limit: 1 });
      expect({ route: keyOf(route), audited: newest?.actor }).toEqual({
        route: keyOf(route),
        audited: {
          kind: 'token',
          id: own.users.admin.id,
          label: `${own.users.admin.email} (token "admin token")`,
        },
      });
    }
  });

  it('makes no change when its audit event cannot be written: both share one transaction', async () => {
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      const { fresh, own, response } = await asAdminInFreshTenant(route, (cloud) => {
        rawDatabase(cloud.store).exec(
          `create trigger refuse_audit before insert on audit_events
           begin select raise(abort, 'audit refused'); end`,
        );
      });
      expect({ route: keyOf(route), status: response.status }).toEqual({
        route: keyOf(route),
        status: 500,
      });
      rawDatabase(fresh.store).exec('drop trigger refuse_audit');
      const untouched = createTestCloud();
      const twin = await addMatrixTenant(untouched, 'alpha', { withPasswords: false });
      expect(await contentOf(fresh, own)).toEqual(await contentOf(untouched, twin));
    }
  });
});

/** The admin of a new tenant does what `route`'s fixture describes; `prepare` runs first. */
async function asAdminInFreshTenant(route: TenantRoute, prepare?: (cloud: TestCloud) => void) {
  const fresh = createTestCloud();
  const own = await addMatrixTenant(fresh, 'alpha', { withPasswords: false });
  prepare?.(fresh);
  const fixture = fixtureOf(route);
  const response = await fresh.request(
    route.method,
    urlFor(route, own.slug, fixture.params?.(own) ?? {}),
    { token: own.users.admin.token, body: fixture.body },
  );
  return { fresh, own, response };
}

/** What a tenant holds, without the ids and secrets that differ between two fixtures. */
async function contentOf(cloud: TestCloud, t: MatrixTenant) {
  const scope = cloud.store.tenant(t.tenantId);
  const agents = await cloud.store.agents().listAgents(t.tenantId);
  const jobs = await cloud.store.agents().listJobs(t.tenantId, t.agentId, { limit: 100 });
  const tenant = await scope.getTenant();
  const members = await scope.listMembers();
  const tokens = await scope.listTokens();
  return {
    tenant: tenant.displayName,
    members: members.map((m) => [m.user.email, m.role]),
    tokens: tokens.map((token) => [token.name, token.revokedAt]).sort(),
    audit: (await scope.listAudit({ limit: 500 })).map((event) => event.action),
    agents: agents.map((agent) => [agent.name, agent.revokedAt, agent.rotationRequestedAt]),
    jobs: jobs.map((job) => [job.kind, job.state]),
    ...(await integrationsOf(cloud, t)),
  };
}

function errorCode(body: unknown): unknown {
  return (body as { error?: { code?: unknown } } | undefined)?.error?.code;
}
