/** The hub's timing; the defaults follow `shared/reference/tunnels.md` (b). */
export interface TunnelSettings {
  /** Between pings to each agent, before jitter. */
  pingIntervalMs: number;
  /** Each ping interval is moved by up to this fraction either way, so pings do not align. */
  pingJitter: number;
  /** A connection with no inbound frame for this long is closed `dead_peer`. */
  deadPeerMs: number;
  /** An agent that sends no `auth` this long after `hello` is closed `auth_timeout`. */
  handshakeTimeoutMs: number;
  /**
   * Added to a job's own timeout for the time it may wait in the outbox and on the wire before
   * the agent starts it; the cloud gives up on the job (`timed_out`) after both.
   */
  jobDeliveryAllowanceMs: number;
  /**
   * After this long (±10 %) a connection is sent `goaway` with no delay, so agents move to
   * another replica behind a load balancer now and then; 0 turns it off.
   */
  maxConnectionAgeMs: number;
  /** `goaway` on shutdown spreads reconnects over this window. */
  drainSpreadMs: number;
  /** How long shutdown waits for agents to close after `goaway` before cutting them. */
  drainGraceMs: number;
}

export const defaultTunnelSettings: TunnelSettings = {
  pingIntervalMs: 20_000,
  pingJitter: 0.2,
  deadPeerMs: 45_000,
  handshakeTimeoutMs: 10_000,
  jobDeliveryAllowanceMs: 15 * 60_000,
  maxConnectionAgeMs: 2 * 3600_000,
  drainSpreadMs: 30_000,
  drainGraceMs: 2_000,
};
