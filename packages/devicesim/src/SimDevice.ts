import type { DeviceCli } from './DeviceCli.ts';
import type { DeviceFaults } from './DeviceFaults.ts';
import type { SimClock } from './SimClock.ts';

/** Nautobot `network_driver` values the simulators cover. FRR is real in the lab, not simulated. */
export type SimPlatform =
  | 'cisco_ios'
  | 'cisco_nxos'
  | 'arista_eos'
  | 'juniper_junos'
  | 'nokia_sros';

export interface SimDeviceOptions {
  hostname: string;
  /** Configuration the device boots with, in the vendor's own syntax. A default when absent. */
  initialConfig?: string;
  /** Timers for commit-confirmed and revert timers; tests pass a manual clock. */
  clock: SimClock;
  /** Shared with the SSH server; engines read `failCommit`, the server reads the rest. */
  faults: DeviceFaults;
  /** SR OS only: serve the classic CLI instead of MD-CLI. */
  classicCli?: boolean;
}

/**
 * One simulated device. Its state (running config, candidates, checkpoints, pending confirmed
 * commits) outlives SSH sessions; each login gets its own `DeviceCli` over that state.
 */
export interface SimDevice {
  readonly platform: SimPlatform;
  readonly hostname: string;
  /** A new command-line session, as after a successful SSH login of `username`. */
  openSession(username: string): DeviceCli;
  /** The running configuration as the device would show it, without volatile header lines. */
  runningConfig(): string;
}

export type SimDeviceFactory = (options: SimDeviceOptions) => SimDevice;
