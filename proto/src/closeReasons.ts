/**
 * Why a side closed the WebSocket. Codes are in the 4000 range the WebSocket spec leaves to
 * applications; the reason text is the `reason` name, so logs and tests on either side can tell
 * them apart without a table.
 */
export const closeReasons = {
  /** The frame was not JSON, or not a frame this protocol knows, or not valid in this state. */
  bad_frame: 4400,
  /** A message above `maxFrameBytes`, or chunks above `maxAssembledFrameBytes`. */
  frame_too_large: 4413,
  /** A frame other than `auth` before authentication, or a second `auth`. */
  not_authenticated: 4401,
  /** No shared protocol version. */
  version_unsupported: 4426,
  /** The public key belongs to no agent. */
  unknown_agent: 4404,
  /** The agent was revoked (at connect, or while connected). */
  revoked: 4403,
  /** The signature answers a challenge other than this connection's. */
  replayed: 4409,
  /** The signature does not verify for this challenge and key. */
  bad_signature: 4410,
  /** The key is valid but the agent claimed another tenant. */
  wrong_tenant: 4411,
  /** No `auth` within the handshake timeout. */
  auth_timeout: 4408,
  /** Nothing heard from the peer within the dead-peer deadline. */
  dead_peer: 4001,
  /** The same agent connected again; this older connection is closed. */
  replaced: 4002,
  /** The cloud is restarting or shedding load; reconnect after the delay it sent. */
  going_away: 4003,
  /** The agent is shutting down. */
  agent_stopping: 4004,
  /** An unexpected failure on the closing side. */
  internal_error: 4500,
} as const;

export type CloseReason = keyof typeof closeReasons;

const reasonByCode = new Map<number, CloseReason>(
  Object.entries(closeReasons).map(([reason, code]) => [code, reason as CloseReason]),
);

/** The reason for a close code, or undefined for codes this protocol does not define. */
export function closeReasonOf(code: number): CloseReason | undefined {
  return reasonByCode.get(code);
}
