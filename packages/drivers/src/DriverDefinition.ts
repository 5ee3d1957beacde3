import type { CliSession } from './CliSession.ts';
import type { DeviceDriver, Platform } from './DeviceDriver.ts';
import type { DriverTimers } from './DriverTimers.ts';

/**
 * What the session layer needs to know about a platform before a driver exists, and how to
 * make the driver. Each vendor file exports one of these; `driverDefinitions.ts` maps
 * platforms to them.
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
  /** Driver-side confirm deadlines (NX-OS, FRR); tests pass a manual clock. */
  timers?: DriverTimers;
  /**
   * A new logged-in, unprepared session to the same device. Drivers whose rollback is their
   * own (NX-OS, FRR) use it to roll back after the first session was lost or closed.
   */
  reopenSession?: () => Promise<CliSession>;
}
