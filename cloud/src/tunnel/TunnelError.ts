/** Expected failures of the tunnel a caller can branch on. */
export type TunnelErrorCode = 'agent_offline' | 'outbox_full' | 'job_not_found' | 'invalid_timeout';

/** A failure of the tunnel that callers expect and handle; the message names the agent or job. */
export class TunnelError extends Error {
  override readonly name = 'TunnelError';
  readonly code: TunnelErrorCode;

  constructor(code: TunnelErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
