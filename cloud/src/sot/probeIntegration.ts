import { isNautobotError } from '@plumbline/nautobot';
import type { Actor } from '../store/records.ts';
import type { ProbeOutcome } from '../store/SotStore.ts';
import type { Integration } from '../store/sotRecords.ts';
import { openNautobotClient } from './openNautobotClient.ts';
import type { SotDeps } from './SotDeps.ts';

/**
 * `GET /api/dcim/devices/?limit=1` (through the client's probe): green with Nautobot's version
 * and device count, or red with the client's error code and its message, shown as-is.
 */
export async function probeIntegration(
  deps: SotDeps,
  tenantId: string,
  integrationId: string,
  actor: Actor,
): Promise<Integration> {
  const sot = deps.store.tenant(tenantId).sot();
  const integration = await sot.getIntegration(integrationId);
  const outcome = await probeOutcome(deps, integration);
  deps.logger.info(
    { tenantId, integrationId, ok: outcome.ok, code: outcome.ok ? undefined : outcome.code },
    'integration probed',
  );
  return sot.recordProbe(integrationId, outcome, actor);
}

async function probeOutcome(deps: SotDeps, integration: Integration): Promise<ProbeOutcome> {
  try {
    const client = await openNautobotClient(deps, integration);
    const found = await client.probe(AbortSignal.timeout(60_000));
    return { ok: true, ...found };
  } catch (error) {
    if (isNautobotError(error)) return { ok: false, code: error.code, message: error.message };
    deps.logger.error({ err: error, integrationId: integration.id }, 'probe failed unexpectedly');
    return { ok: false, code: 'internal', message: 'the probe failed inside the cloud' };
  }
}
