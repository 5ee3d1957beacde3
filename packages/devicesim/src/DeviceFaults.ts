/**
 * Faults a test switches on at run time. The SSH server applies the transport faults; vendor
 * engines apply `failCommit`. All are off by default.
 *
 * Note (ssh-core): `ansiNoise`, `endlessPaging` and `flood` were added for the hostile-output
 * tests of the session layer; the SSH server applies them, engines can ignore them.
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
  /** Wrap output lines and prompts in colour, erase-line and bracketed-paste escapes. */
  ansiNoise?: boolean;
  /** Paged output never ends: after its last line the pager starts again from the first. */
  endlessPaging?: boolean;
  /** Answer a matching command with `bytes` of generated lines instead of the engine's reply. */
  flood?: { on: RegExp; bytes: number };
}
