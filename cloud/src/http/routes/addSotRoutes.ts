import type { Context } from 'hono';
import { z } from 'zod';
import { roleAllows } from '../../auth/Role.ts';

import { probeIntegration } from '../../sot/probeIntegration.ts';
import { registerWebhook, webhookUrl } from '../../sot/registerWebhook.ts';
import type { SotDeps } from '../../sot/SotDeps.ts';
import type { SyncRunner } from '../../sot/SyncRunner.ts';
import { SyncAlreadyRunning } from '../../store/SotStore.ts';
import type { Integration, MirrorTable, SyncRun } from '../../store/sotRecords.ts';
import type { AppEnv } from '../AppEnv.ts';
import { pathParam } from '../pathParam.ts';
import { readJson } from '../readJson.ts';
import type { TenantRouter } from '../TenantRouter.ts';

const defaultResyncMinutes = 15;

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'expected the http(s) address of Nautobot' })
  .max(500)
  .transform((url) => url.replace(/\/+$/, ''));
const token = z
  .string()
  .regex(/^[\x21-\x7e]{8,200}$/, 'expected the Nautobot API token (40 characters, no spaces)');
const settings = {
  name: z.string().trim().min(1).max(200),
  baseUrl,
  token,
  reachableViaAgentId: z.uuid().nullable(),
  enabled: z.boolean(),
  resyncIntervalMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
};
const createBody = z.strictObject({
  ...settings,
  reachableViaAgentId: settings.reachableViaAgentId.default(null),
  enabled: settings.enabled.default(true),
  resyncIntervalMinutes: settings.resyncIntervalMinutes.default(defaultResyncMinutes),
});
const patchBody = z.strictObject(settings).partial();
const syncBody = z.strictObject({ mode: z.enum(['full', 'incremental', 'auto']).default('auto') });
const page = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function integrationView(i: Integration, publicUrl: string) {
  return {
    id: i.id,
    name: i.name,
    baseUrl: i.baseUrl,
    token: `set, ends in …${i.tokenLast4}`,
    reachableViaAgentId: i.reachableViaAgentId,
    enabled: i.enabled,
    resyncIntervalMinutes: Math.round(i.resyncIntervalMs / 60_000),
    webhookUrl: webhookUrl(publicUrl, i.webhookSlug),
    status: {
      state: i.status,
      code: i.statusCode,
      message: i.statusMessage,
      nautobotVersion: i.nautobotVersion,
      apiVersion: i.apiVersion,
      deviceCount: i.deviceCount,
      probedAt: iso(i.probedAt),
    },
    lastSyncAt: iso(i.lastSyncAt),
    lastFullSyncAt: iso(i.lastFullSyncAt),
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}

function runView(run: SyncRun) {
  return {
    id: run.id,
    integrationId: run.integrationId,
    state: run.state,
    mode: run.mode,
    trigger: run.trigger,
    progress: { fetched: run.fetched, total: run.total },
    counts: run.counts,
    error: run.errorCode === null ? null : { code: run.errorCode, message: run.errorMessage },
    queuedAt: iso(run.queuedAt),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs:
      run.startedAt !== null && run.finishedAt !== null ? run.finishedAt - run.startedAt : null,
  };
}

/** The mirror tables the read API lists, by path segment. */
const mirrorPaths: Record<string, MirrorTable> = {
  sites: 'sites',
  devices: 'devices',
  interfaces: 'interfaces',
  'ip-addresses': 'ipAddresses',
  prefixes: 'prefixes',
  tags: 'tags',
  'custom-fields': 'customFields',
};

/** A JSON body when one was sent; `{}` for an empty one, so `curl -X POST` works. */
async function optionalJson<T extends z.ZodType>(c: Context<AppEnv>, schema: T) {
  if ((c.req.header('content-length') ?? '0') === '0' && !c.req.header('content-type')) {
    return schema.parse({}) as z.output<T>;
  }
  return readJson(c, schema);
}

/** Nautobot integrations of a tenant: settings, probe, sync runs, webhook, and the mirror. */
export function addSotRoutes(router: TenantRouter, deps: SotDeps, runner: SyncRunner): void {
  const base = '/integrations/:integrationId';
  const sotOf = (c: Context<AppEnv>) => c.var.tenantStore.sot();
  const idOf = (c: Context<AppEnv>) => pathParam(c, 'integrationId');
  const view = (i: Integration) => integrationView(i, deps.publicUrl);
  /** Tells the agents an integration was reachable through, or is now, their new targets. */
  const targetsChanged = async (c: Context<AppEnv>, ...agentIds: (string | null)[]) => {
    for (const agentId of new Set(agentIds)) {
      if (agentId !== null) await deps.onHttpTargetsChanged?.(c.var.tenant.id, agentId);
    }
  };
  const withSecret = async (c: Context<AppEnv>, i: Integration) =>
    roleAllows(c.var.role, 'admin')
      ? { ...view(i), webhookSecret: await sotOf(c).openWebhookSecret(i.id, deps.sealer) }
      : view(i);

  router
    .add('GET', '/integrations', 'viewer', async (c) => {
      const list = await sotOf(c).listIntegrations();
      return c.json({ integrations: list.map(view) });
    })
    .add('POST', '/integrations', 'admin', async (c) => {
      const body = await readJson(c, createBody);
      const { resyncIntervalMinutes, ...rest } = body;
      const created = await sotOf(c).createIntegration(
        { ...rest, resyncIntervalMs: resyncIntervalMinutes * 60_000 },
        deps.sealer,
        c.var.actor,
      );
      await targetsChanged(c, created.reachableViaAgentId);
      return c.json({ integration: await withSecret(c, created) }, 201);
    })
    .add('GET', base, 'viewer', async (c) => {
      const integration = await sotOf(c).getIntegration(idOf(c));
      return c.json({ integration: await withSecret(c, integration) });
    })
    .add('PATCH', base, 'admin', async (c) => {
      const { resyncIntervalMinutes, ...rest } = await readJson(c, patchBody);
      const changes = Object.fromEntries(
        Object.entries({
          ...rest,
          resyncIntervalMs: resyncIntervalMinutes && resyncIntervalMinutes * 60_000,
        }).filter(([, value]) => value !== undefined),
      );
      const before = await sotOf(c).getIntegration(idOf(c));
      const updated = await sotOf(c).updateIntegration(idOf(c), changes, deps.sealer, c.var.actor);
      await targetsChanged(c, before.reachableViaAgentId, updated.reachableViaAgentId);
      return c.json({ integration: view(updated) });
    })
    .add('DELETE', base, 'admin', async (c) => {
      const id = idOf(c);
      const active = await sotOf(c).activeRun(id);
      if (active) await runner.cancel(c.var.tenant.id, id, active.id, c.var.actor);
      const { reachableViaAgentId } = await sotOf(c).getIntegration(id);
      await sotOf(c).deleteIntegration(id, c.var.actor);
      await targetsChanged(c, reachableViaAgentId);
      return c.body(null, 204);
    })
    .add('POST', `${base}/probe`, 'admin', async (c) => {
      const probed = await probeIntegration(deps, c.var.tenant.id, idOf(c), c.var.actor);
      return c.json({ integration: view(probed) });
    })
    .add('POST', `${base}/register-webhook`, 'admin', async (c) => {
      const outcome = await registerWebhook(deps, c.var.tenant.id, idOf(c), c.var.actor);
      return c.json({ webhook: outcome });
    })
    .add('POST', `${base}/sync`, 'admin', async (c) => {
      const { mode } = await optionalJson(c, syncBody);
      try {
        const run = await runner.start(c.var.tenant.id, idOf(c), {
          mode,
          trigger: 'manual',
          actor: c.var.actor,
        });
        return c.json({ run: runView(run) }, 202);
      } catch (error) {
        if (!(error instanceof SyncAlreadyRunning)) throw error;
        return c.json({ ...error.toBody(), runId: error.runId }, 409);
      }
    })
    .add('GET', `${base}/sync-runs`, 'viewer', async (c) => {
      const { limit } = page.parse(c.req.query());
      const runs = await sotOf(c).listRuns(idOf(c), limit);
      return c.json({ runs: runs.map(runView) });
    })
    .add('GET', `${base}/sync-runs/:runId`, 'viewer', async (c) => {
      const run = await sotOf(c).getRun(idOf(c), pathParam(c, 'runId'));
      return c.json({ run: runView(run) });
    })
    .add('POST', `${base}/sync-runs/:runId/cancel`, 'admin', async (c) => {
      const run = await runner.cancel(c.var.tenant.id, idOf(c), pathParam(c, 'runId'), c.var.actor);
      return c.json({ run: runView(run) });
    })
    .add('GET', `${base}/devices/:deviceId`, 'viewer', async (c) => {
      const detail = await sotOf(c).getDevice(idOf(c), pathParam(c, 'deviceId'));
      return c.json(detail);
    });

  for (const [segment, table] of Object.entries(mirrorPaths)) {
    router.add('GET', `${base}/${segment}`, 'viewer', async (c) => {
      const query = page.safeParse(c.req.query());
      if (!query.success) throw query.error;
      const rows = await sotOf(c).listMirror(idOf(c), table, query.data);
      return c.json({ [segment]: rows, ...query.data });
    });
  }
}
