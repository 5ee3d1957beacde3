/** Liveness and reconnect settings; the defaults follow shared/reference/tunnels.md (b). */
export interface TunnelParameters {
  /** Until `welcome` says otherwise; each ping waits this ±`pingJitter`. */
  pingIntervalMs: number;
  pingJitter: number;
  /** Nothing heard for this long: the link is dead and is dropped. */
  deadPeerMs: number;
  /** Time for the HTTP upgrade itself (TCP, proxy, TLS, 101). */
  upgradeTimeoutMs: number;
  backoffBaseMs: number;
  backoffFactor: number;
  backoffCapMs: number;
  /** The cap after the cloud refused the agent's identity: retrying fast would not help. */
  refusedBackoffCapMs: number;
  /** A link up this long resets the backoff. */
  stableAfterMs: number;
  /** How long a closing handshake may take before the socket is cut. */
  closeTimeoutMs: number;
}

export const defaultTunnelParameters: TunnelParameters = {
  pingIntervalMs: 20_000,
  pingJitter: 0.2,
  deadPeerMs: 45_000,
  upgradeTimeoutMs: 15_000,
  backoffBaseMs: 1_000,
  backoffFactor: 2,
  backoffCapMs: 60_000,
  refusedBackoffCapMs: 5 * 60_000,
  stableAfterMs: 30_000,
  closeTimeoutMs: 5_000,
};
