import type { Store } from '../store/Store.ts';

/**
 * The base URLs an agent may forward HTTP to: those of its tenant's enabled integrations that
 * are reachable through it. The tunnel hub hands this list to the agent, which refuses anything
 * else, so the agent never becomes an open proxy into the customer's network.
 */
export async function httpTargetsForAgent(
  store: Store,
  tenantId: string,
  agentId: string,
): Promise<string[]> {
  const integrations = await store.tenant(tenantId).sot().listIntegrations();
  const urls = integrations
    .filter((i) => i.enabled && i.reachableViaAgentId === agentId)
    .map((i) => i.baseUrl);
  return [...new Set(urls)].sort();
}
