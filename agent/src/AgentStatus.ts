import type { LinkStatus } from './tunnel/TunnelClient.ts';

/** What /readyz and `plumbline-agent status` show. Ages are measured at the call. */
export interface AgentStatus {
  agentId: string;
  tenantSlug: string;
  readOnly: boolean;
  /** True while the link is authenticated: the only state in which the agent is ready. */
  connected: boolean;
  linkPhase: LinkStatus['phase'];
  connectedForMs: number | null;
  rttMs: number | null;
  lastPongAgoMs: number | null;
  clockOffsetMs: number | null;
  queuedJobs: number;
  runningJobs: number;
  /** Age of the oldest job received and not yet answered (queued or running). */
  oldestUnackedJobAgeMs: number | null;
  reconnects: number;
  lastDisconnect: { reason: string; detail: string; agoMs: number } | null;
  nextAttemptInMs: number | null;
}
