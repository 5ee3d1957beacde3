import type { CliSession } from './CliSession.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import { CommandRunner, cleanConfig, configBody, defaultConfirmMs } from './ciscoStyle.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError } from './DriverError.ts';
import { requireState } from './requireState.ts';
import { withLiveSession } from './withLiveSession.ts';

/** Exec, privileged and config prompts (devices.md §8), at the end of the output. */
const promptPattern = /(?:^|\n)[\w.\-@/:]{1,63}(?:\([\w.\-@/:+]{0,32}\))?[>#]\s?$/;
/** IOS error wordings (devices.md §4); a line starting with `%` is an error in config mode. */
const errorPattern = /^(%|Command authorization failed|Rollback aborted|Translating ")/;
const volatile = [
  /^Building configuration/,
  /^Current configuration :/,
  /^! Last configuration change at/,
  /^! NVRAM config last updated at/,
  /^! No configuration change since last restart/,
  /^ntp clock-period /,
];

/** `show running-config` of IOS with the volatile lines removed (devices.md §3). */
export function cleanIosConfig(output: string): string {
  return cleanConfig(output, volatile);
}

/**
 * IOS and IOS-XE. Safe push is Configuration Rollback Confirmed Change: `configure terminal
 * revert timer N` archives running, the lines apply live, and the device itself reverts after
 * N minutes unless `configure confirm` arrives, so a caller that disappears leaves the old
 * config behind. It needs `archive` with a `path` on the device; without it the push is
 * refused before anything changes.
 *
 * Known shortcoming: IOS has no candidate to diff before applying (`show archive config
 * incremental-diffs` needs the change as a file on flash), so `deviceDiff` is undefined.
 * An enable secret is not supported: the login must land in privileged mode (privilege 15).
 */
export class IosDriver implements DeviceDriver {
  readonly platform = 'cisco_ios';
  readonly session: CliSession;
  private readonly runner: CommandRunner;

  constructor(
    session: CliSession,
    private readonly options: DriverOptions,
  ) {
    this.session = session;
    this.runner = runnerFor(session, options);
  }

  async prepare(): Promise<void> {
    await this.runner.checked('terminal length 0', 'protocol_error');
    await this.runner.checked('terminal width 511', 'protocol_error');
  }

  async getConfig(): Promise<string> {
    const output = await this.runner.expect('show running-config', /^Building configuration/m);
    return cleanIosConfig(output);
  }

  async stage(lines: readonly string[], options: StageOptions = {}): Promise<PendingChange> {
    checkConfigLines(this.session.device, lines);
    const archive = await this.runner.send('show archive');
    if (/Archive feature not enabled/.test(archive)) {
      throw new DriverError(
        'commit_failed',
        `${this.session.device}: the IOS revert timer needs the archive feature, found "Archive` +
          ' feature not enabled"; configure `archive` with ` path flash:<name>` on the device',
        { device: this.session.device, line: 'show archive', deviceMessage: archive.trim() },
      );
    }
    const timer = await this.runner.send('show archive config rollback timer');
    if (!/No Rollback Confirmed Change pending/.test(timer)) {
      throw new DriverError(
        'commit_failed',
        `${this.session.device}: another change is waiting for \`configure confirm\` (expected` +
          ' "No Rollback Confirmed Change pending"); pushing now would confirm or extend it',
        { device: this.session.device, deviceMessage: timer.trim() },
      );
    }
    const minutes = Math.max(1, Math.ceil((options.confirmTimeoutMs ?? defaultConfirmMs) / 60_000));
    return new IosPendingChange(this.runner, this.options, configBody(lines), minutes);
  }
}

function runnerFor(session: CliSession, options: DriverOptions): CommandRunner {
  return new CommandRunner(session, options.commandTimeoutMs ?? 30_000, errorPattern);
}

class IosPendingChange implements PendingChange {
  readonly deviceDiff = undefined;
  private state: 'staged' | 'committed' | 'confirmed' | 'aborted' = 'staged';

  constructor(
    private readonly runner: CommandRunner,
    private readonly options: DriverOptions,
    private readonly lines: readonly string[],
    private readonly minutes: number,
  ) {}

  async commit(): Promise<void> {
    this.require('staged', 'commit');
    const start = `configure terminal revert timer ${this.minutes}`;
    const output = await this.runner.send(start);
    if (/^%/m.test(output) || !/Enter configuration commands/.test(output)) {
      this.state = 'aborted';
      await this.runner.tryAll(['end']);
      throw this.runner.failure('commit_failed', start, output.trim());
    }
    this.state = 'committed';
    await this.runner.sendLines(this.lines, ['end', 'configure revert now']).catch((error) => {
      this.state = 'aborted';
      throw error;
    });
    await this.runner.send('end');
  }

  async confirm(): Promise<void> {
    this.require('committed', 'confirm');
    const output = await this.runner.send('configure confirm');
    if (/No Rollback Confirmed Change pending/.test(output)) {
      this.state = 'aborted';
      throw this.runner.failure(
        'rolled_back',
        'configure confirm',
        output.trim(),
        'a pending revert timer (it expired and the device reverted the change)',
      );
    }
    if (/^%/m.test(output))
      throw this.runner.failure('commit_failed', 'configure confirm', output.trim());
    this.state = 'confirmed';
    await this.runner.expect('write memory', /\[OK\]/, 'commit_failed');
  }

  /** Reverts now; `configure revert now` works from any session, so a lost one is replaced. */
  async abort(): Promise<void> {
    if (this.state === 'committed') {
      const revert = 'configure revert now';
      const manualStep = `the device reverts within ${this.minutes} min, or run "${revert}"`;
      const reopen = this.options.reopenSession;
      await withLiveSession(this.runner.session, reopen, manualStep, async (live, reopened) => {
        const runner = reopened ? runnerFor(live, this.options) : this.runner;
        await runner.send('configure revert now');
      });
    }
    this.state = 'aborted';
  }

  private require(state: IosPendingChange['state'], action: string): void {
    requireState(this.runner.device, action, this.state, state);
  }
}

export const ciscoIosDefinition: DriverDefinition = {
  platform: 'cisco_ios',
  promptPattern,
  pager: { pattern: / --More-- ?$/, response: ' ' },
  legacyAlgorithms: true,
  create: (session, options) => new IosDriver(session, options),
};
