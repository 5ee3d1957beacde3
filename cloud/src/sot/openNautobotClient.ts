import { createNautobotClient, type NautobotClient } from '@plumbline/nautobot';
import type { Integration } from '../store/sotRecords.ts';
import type { SotDeps } from './SotDeps.ts';

/**
 * A client for one integration: its token opened from the seal, its transport direct or
 * through the agent it is reachable via. Nothing above this knows which.
 */
export async function openNautobotClient(
  deps: SotDeps,
  integration: Integration,
): Promise<NautobotClient> {
  const sot = deps.store.tenant(integration.tenantId).sot();
  const token = await sot.openToken(integration.id, deps.sealer);
  const fetch =
    integration.reachableViaAgentId === null
      ? (deps.directFetch ?? globalThis.fetch)
      : deps.fetchViaAgent(integration.tenantId, integration.reachableViaAgentId);
  return createNautobotClient({
    ...deps.clientOptions,
    baseUrl: integration.baseUrl,
    token,
    fetch,
    logger: deps.logger.child({ tenantId: integration.tenantId, integrationId: integration.id }),
  });
}
