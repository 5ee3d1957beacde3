/** Expected failures of the demo, each with a stable code a script or the smoke test can match. */
export type DemoErrorCode =
  | 'data_dir_foreign'
  | 'cloud_not_started'
  | 'cloud_refused'
  | 'agent_not_started'
  | 'agent_not_connected'
  | 'probe_red'
  | 'sync_failed'
  | 'sync_timeout';

export class DemoError extends Error {
  readonly code: DemoErrorCode;

  constructor(code: DemoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DemoError';
    this.code = code;
  }
}
