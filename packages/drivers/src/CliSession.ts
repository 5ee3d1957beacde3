/**
 * An interactive shell on a device, already logged in, with line endings normalised to `\n`
 * and ANSI escapes removed. Vendor drivers talk to devices only through this.
 */
export interface CliSession {
  /** `host:port`, for messages. */
  readonly device: string;
  /**
   * Writes `command` and a return, reads until `prompt` (default: the session's prompt
   * pattern) and returns the output between the echoed command and the prompt. Pager
   * prompts are answered on the way. Throws `timeout`, `output_too_large` or
   * `connection_lost` as DriverError.
   */
  send(command: string, options?: SendOptions): Promise<string>;
  /** Writes bytes as they are (no return added), e.g. `\x04` to end Junos terminal input. */
  write(data: string): void;
  /** Reads until `pattern` matches the tail of what arrived; returns everything read. */
  readUntil(pattern: RegExp, options?: { timeoutMs?: number }): Promise<string>;
  /** Replaces the prompt pattern, e.g. after a hostname change or entering a config session. */
  setPrompt(pattern: RegExp): void;
  /** Closes the channel and the connection; safe to call twice. */
  close(): Promise<void>;
  /** True once the connection has ended for any reason. */
  readonly closed: boolean;
  /** What the device's SSH server and the client agreed on; absent for sessions not on SSH. */
  readonly algorithms?: SshAlgorithms;
}

/**
 * The algorithms of the device's SSH connection (the last hop), client to server. Worth
 * logging: `diffie-hellman-group14-sha1` or `aes128-cbc` mean a device on legacy crypto.
 */
export interface SshAlgorithms {
  kex: string;
  serverHostKey: string;
  cipher: string;
  mac: string;
}

export interface SendOptions {
  /** Read until this instead of the session prompt (confirmation questions and the like). */
  prompt?: RegExp;
  timeoutMs?: number;
}
