import type { Logger } from '@plumbline/log';
import type { NautobotClientOptions } from '@plumbline/nautobot';
import type { Sealer } from '../secrets/Sealer.ts';
import type { Store } from '../store/Store.ts';

/**
 * A fetch that reaches a tenant's network through one of its agents. The tunnel hub provides it;
 * the default refuses with `tunnelUnavailable`.
 */
export type FetchViaAgent = (tenantId: string, agentId: string) => typeof fetch;

/** What the Nautobot integration needs from the rest of the cloud. */
export interface SotDeps {
  store: Store;
  sealer: Sealer;
  logger: Logger;
  fetchViaAgent: FetchViaAgent;
  /** The transport for integrations reached directly; Node's fetch unless a test replays. */
  directFetch?: typeof fetch;
  /** Where the cloud is reached from outside, for webhook URLs (`https://plumbline.example`). */
  publicUrl: string;
  /**
   * Called after an integration reachable through `agentId` was added, changed or removed, so
   * the hub can send that agent its new list of HTTP targets (`httpTargetsForAgent`).
   */
  onHttpTargetsChanged?: (tenantId: string, agentId: string) => Promise<unknown>;
  /** Client settings for tests (retries, timeouts); the token and transport are set here. */
  clientOptions?: Partial<Omit<NautobotClientOptions, 'baseUrl' | 'token' | 'fetch'>>;
}

/** The default `fetchViaAgent`, until a tunnel hub is wired in. */
export const tunnelUnavailable: FetchViaAgent = (tenantId, agentId) => async () => {
  throw new TypeError(
    `tunnel not available: this cloud has no tunnel hub to reach agent ${agentId} of tenant ` +
      `${tenantId}; clear "reachable via agent" to reach Nautobot directly, or run a cloud ` +
      'with the tunnel enabled',
  );
};
