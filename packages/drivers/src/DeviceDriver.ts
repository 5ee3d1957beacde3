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
   * `command_rejected` (with the line and the device's message) after discarding the
   * candidate; on IOS and FRR, which have no candidate, lines are entered and checked only by
   * `commit()`.
   */
  stage(lines: readonly string[], options?: StageOptions): Promise<PendingChange>;
}

export interface StageOptions {
  /**
   * How long a committed change waits for `confirm()` before the device (or, where the vendor
   * has no timer, the driver) rolls it back. Default 5 minutes. IOS, Junos and SR OS count
   * whole minutes and round up; EOS whole seconds.
   */
  confirmTimeoutMs?: number;
}

/**
 * A staged change. Order: read `deviceDiff`, `commit()`, verify (for example with
 * `getConfig()`), then `confirm()`; or `abort()` at any point. A commit that is not confirmed
 * in time is rolled back, also when its session was lost or closed in between: by the device's
 * own timer (IOS, EOS, Junos, SR OS), or by the driver on a new session (NX-OS, FRR; only
 * while the driver's process lives).
 */
export interface PendingChange {
  /** The device's own diff of the candidate against running, where the vendor has one. */
  readonly deviceDiff: string | undefined;
  /**
   * Applies the change so that it can still be rolled back (commit confirmed, revert timer,
   * checkpoint). Throws `command_rejected`, `commit_failed`, `timeout` or `connection_lost`;
   * the change is then rolled back, at once or by the device's timer (the message says which).
   */
  commit(): Promise<void>;
  /**
   * Makes a committed change permanent (and saves it to startup where the vendor needs that).
   * Throws `rolled_back` when the deadline passed first.
   */
  confirm(): Promise<void>;
  /**
   * Discards an uncommitted candidate, or rolls a committed change back now (on a new session
   * if the first was lost). After the device's timer already rolled back, it does nothing.
   */
  abort(): Promise<void>;
}
