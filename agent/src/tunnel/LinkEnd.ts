import type { CloseReason } from '@plumbline/proto';

/** How one connection ended, for the reconnect decision, logs and status. */
export interface LinkEnd {
  /** The WebSocket close code seen locally (1006 when the socket just went away). */
  code: number;
  /** The protocol reason, whichever side closed; undefined for other codes. */
  reason: CloseReason | undefined;
  closedBy: 'agent' | 'cloud' | 'network';
  /** A sentence for the log: the close text, the socket error, or why the agent closed. */
  detail: string;
  /** When `welcome` arrived, if it did. */
  authenticatedAtMs: number | undefined;
  /** Set when the cloud sent `goaway`: reconnect after exactly this delay. */
  reconnectInMs: number | undefined;
}
