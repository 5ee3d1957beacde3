import type { CliSession } from './CliSession.ts';

/** Nautobot `network_driver` values with a driver. */
export type Platform =
  | 'cisco_ios'
  | 'cisco_nxos'
  | 'arista_eos'
  | 'juniper_junos'
  | 'nokia_sros'
  | 'frr';

/**
 * A platform's way of reading and changing configuration over an open CLI session.
 * One driver instance serves one session; it is not shared between devices.
 */
export interface DeviceDriver {
  readonly platform: Platform;
  readonly session: CliSession;
  /** Turns paging off, widens the terminal; called once after login. */
  prepare(): Promise<void>;
  /** The running configuration with the vendor's volatile lines (timestamps, headers) removed. */
  getConfig(): Promise<string>;
  /**
   * Stages `lines` (configuration commands in the vendor's syntax) by the vendor's strongest
   * native means and returns the pending change, not yet committed. A rejected line throws
   * `command_rejected` after discarding the candidate.
   */
  stage(lines: readonly string[], options?: StageOptions): Promise<PendingChange>;
}

export interface StageOptions {
  /**
   * How long a committed change waits for `confirm()` before the device (or, where the vendor
   * has no timer, the driver) rolls it back. Default 5 minutes.
   */
  confirmTimeoutMs?: number;
}

/**
 * A staged change. Order: read `deviceDiff`, `commit()`, verify (for example with
 * `getConfig()`), then `confirm()`; or `abort()` at any point. A commit that is not confirmed
 * in time, or whose session is lost, is rolled back.
 */
export interface PendingChange {
  /** The device's own diff of the candidate against running, where the vendor has one. */
  readonly deviceDiff: string | undefined;
  /** Applies the change so that it can still be rolled back (commit confirmed, revert timer). */
  commit(): Promise<void>;
  /** Makes a committed change permanent (and saves it to startup where the vendor needs that). */
  confirm(): Promise<void>;
  /** Discards an uncommitted candidate or rolls a committed change back now. */
  abort(): Promise<void>;
}
