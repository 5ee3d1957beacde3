import type { CliSession } from './CliSession.ts';
import type { DeviceDriver, Platform } from './DeviceDriver.ts';

/**
 * What the session layer needs to know about a platform before a driver exists, and how to
 * make the driver. Each vendor folder exports one of these; `drivers.ts` maps platforms to them.
 */
export interface DriverDefinition {
  readonly platform: Platform;
  /** Matches the prompt in every mode the driver uses (searched at the end of the output). */
  readonly promptPattern: RegExp;
  /** The pager's prompt, and what to send to it, for output that pages before `prepare()`. */
  readonly pager?: { pattern: RegExp; response: string };
  /** Old IOS needs SHA-1 key exchange and CBC ciphers appended to ssh2's defaults. */
  readonly legacyAlgorithms?: boolean;
  create(session: CliSession, options: DriverOptions): DeviceDriver;
}

export interface DriverOptions {
  /** Per-command timeout; default 30 s. */
  commandTimeoutMs?: number;
}
