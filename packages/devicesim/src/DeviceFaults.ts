/**
 * Faults a test switches on at run time. The SSH server applies the transport faults; vendor
 * engines apply `failCommit`. All are off by default.
 */
export interface DeviceFaults {
  /** Throttle every write to about this many bytes per second. */
  slowOutputBytesPerSecond?: number;
  /** Close the connection after part of the output of a command that matches. */
  disconnectOn?: RegExp;
  /** Never answer a command that matches (no output, no prompt). */
  hangOn?: RegExp;
  /** Refuse every login, as with wrong credentials. */
  rejectLogins?: boolean;
  /** Serve a newly generated host key instead of the device's own. */
  changeHostKey?: boolean;
  /** The next commit (or commit confirmed, session commit, configure replace) fails. */
  failCommit?: boolean;
}
