import type { AgentStatus } from '../AgentStatus.ts';

/** The /readyz answer as lines a person reads at a terminal. */
export function formatStatus(status: AgentStatus): string {
  const ms = (value: number | null) => (value === null ? '-' : `${value} ms`);
  const lines = [
    `agent        ${status.agentId} (tenant ${status.tenantSlug})` +
      (status.readOnly ? ', read-only' : ''),
    `link         ${status.connected ? 'connected' : `not connected (${status.linkPhase})`}` +
      (status.connectedForMs === null ? '' : ` for ${Math.round(status.connectedForMs / 1000)} s`),
    `round trip   ${ms(status.rttMs)}; last pong ${ms(status.lastPongAgoMs)} ago`,
    `clock offset ${ms(status.clockOffsetMs)} (cloud minus this host)`,
    `jobs         ${status.runningJobs} running, ${status.queuedJobs} queued; oldest unanswered ` +
      `${ms(status.oldestUnackedJobAgeMs)}`,
    `reconnects   ${status.reconnects}`,
  ];
  if (status.lastDisconnect !== null) {
    const last = status.lastDisconnect;
    lines.push(
      `last drop    ${last.reason}, ${Math.round(last.agoMs / 1000)} s ago: ${last.detail}`,
    );
  }
  if (status.nextAttemptInMs !== null) lines.push(`next dial in ${ms(status.nextAttemptInMs)}`);
  return lines.join('\n');
}
