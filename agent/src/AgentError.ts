/** Expected failures of the agent, each with a stable code a script or a test can match. */
export type AgentErrorCode =
  | 'identity_exists'
  | 'identity_missing'
  | 'identity_invalid'
  | 'bad_cloud_url'
  | 'token_refused'
  | 'cloud_unreachable'
  | 'tls_failed'
  | 'enroll_failed'
  | 'ca_file_invalid'
  | 'proxy_invalid'
  | 'health_port_unavailable';

export class AgentError extends Error {
  readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
  }
}
