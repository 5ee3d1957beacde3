import { createNautobotClient, type NautobotClient } from '@plumbline/nautobot';
import type { Integration } from '../store/sotRecords.ts';
import { TunnelError } from '../tunnel/TunnelError.ts';
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
      : offlineAsUnavailable(
          deps.fetchViaAgent(integration.tenantId, integration.reachableViaAgentId),
        );
  return createNautobotClient({
    ...deps.clientOptions,
    baseUrl: integration.baseUrl,
    token,
    fetch,
    logger: deps.logger.child({ tenantId: integration.tenantId, integrationId: integration.id }),
  });
}

/**
 * An agent without a tunnel is not an unreachable Nautobot: the client reports
 * `transport_unavailable` with the hub's message (which agent, what to check) instead.
 */
function offlineAsUnavailable(fetchViaAgent: typeof fetch): typeof fetch {
  return (input, init) =>
    fetchViaAgent(input, init).catch((error: unknown) => {
      if (!(error instanceof TunnelError) || error.code !== 'agent_offline') throw error;
      throw Object.assign(new Error(error.message, { cause: error }), {
        code: 'transport_unavailable',
      });
    });
}
