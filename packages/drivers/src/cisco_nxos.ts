import type { CliSession } from './CliSession.ts';
import {
  bounded,
  CommandRunner,
  changeName,
  checkConfigLines,
  cleanConfig,
  configBody,
  type DriverTimers,
  defaultConfirmMs,
  realTimers,
} from './ciscoStyle.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError } from './DriverError.ts';

/** Privileged, config and config-session prompts (devices.md §1, §8). */
const promptPattern = /(?:^|\n)[\w.-]{1,63}(?:\(config[\w.\-@/:+]{0,32}\))?[>#]\s?$/;
/** NX-OS error wordings (devices.md §4) and the `ERROR:` lines of checkpoint commands. */
const errorPattern = /^(% |ERROR:|Commit Failed|Rollback failed)/;
const volatile = [/^!Command:/i, /^!Running configuration last done/i, /^!Time:/i];

/** `show running-config` of NX-OS with the volatile header removed (devices.md §3). */
export function cleanNxosConfig(output: string): string {
  return cleanConfig(output, volatile);
}

/**
 * NX-OS. The change is typed into a configuration session (each line syntax-checked as it is
 * entered, nothing applied), so a rejected line or a lost connection leaves running untouched.
 * `commit()` takes a checkpoint and commits the session atomically; `abort()` or the confirm
 * deadline runs `rollback running-config checkpoint NAME atomic`.
 *
 * Known shortcoming: NX-OS has no confirm timer of its own, so the deadline is kept by this
 * driver and needs the session: if the connection is lost after `commit()` and before
 * `confirm()`, the change stays on the device (with the checkpoint to roll back to by hand).
 */
export class NxosDriver implements DeviceDriver {
  readonly platform = 'cisco_nxos';
  readonly session: CliSession;
  private readonly runner: CommandRunner;

  constructor(
    session: CliSession,
    options: DriverOptions,
    private readonly timers: DriverTimers = realTimers,
  ) {
    this.session = session;
    this.runner = new CommandRunner(session, options.commandTimeoutMs ?? 30_000, errorPattern);
  }

  async prepare(): Promise<void> {
    await this.runner.checked('terminal length 0', 'protocol_error');
    await this.runner.checked('terminal width 511', 'protocol_error');
  }

  async getConfig(): Promise<string> {
    const output = await this.runner.expect('show running-config', /^!Command: show running/m);
    return cleanNxosConfig(output);
  }

  async stage(lines: readonly string[], options: StageOptions = {}): Promise<PendingChange> {
    checkConfigLines(this.session.device, lines);
    const name = changeName();
    await this.runner.expect(`configure session ${name}`, /Config Session started/);
    await this.runner.sendLines(configBody(lines), ['abort']);
    await this.runner
      .expect('verify', /Verification Successful/, 'commit_failed')
      .catch(async (e) => {
        await this.runner.tryAll(['abort']);
        throw e;
      });
    await this.runner.send('end');
    const shown = await this.runner.send(`show configuration session ${name}`);
    const confirmMs = options.confirmTimeoutMs ?? defaultConfirmMs;
    return new NxosPendingChange(this.runner, this.timers, name, shown.trim(), confirmMs);
  }
}

type State = 'staged' | 'committed' | 'rolling_back' | 'rolled_back' | 'confirmed' | 'aborted';

class NxosPendingChange implements PendingChange {
  private state: State = 'staged';
  private deadline: { cancel(): void } | undefined;
  private rollback: Promise<void> | undefined;
  private diff: string;

  constructor(
    private readonly runner: CommandRunner,
    private readonly timers: DriverTimers,
    private readonly name: string,
    sessionListing: string,
    private readonly confirmMs: number,
  ) {
    this.diff = sessionListing;
  }

  /**
   * Before `commit()`: the session's commands as `show configuration session NAME` lists them
   * (NX-OS has no diff of an uncommitted session). After it: the rollback patch from the
   * checkpoint to running (`show diff rollback-patch …`), what the commit really changed.
   */
  get deviceDiff(): string {
    return this.diff;
  }

  async commit(): Promise<void> {
    this.require('staged', 'commit');
    const runner = this.runner;
    await runner.checked('terminal dont-ask', 'protocol_error');
    await runner.expect(`checkpoint ${this.name}`, /Done/, 'commit_failed').catch(async (e) => {
      await this.discardSession();
      throw e;
    });
    await runner.expect(`configure session ${this.name}`, /Config Session started/);
    const output = await runner.send('commit');
    if (!/Commit Successful/.test(output)) {
      this.state = 'aborted';
      await runner.tryAll(['end', `no checkpoint ${this.name}`]);
      throw runner.failure(
        'commit_failed',
        'commit',
        output.trim(),
        'expected "Commit Successful"',
      );
    }
    this.state = 'committed';
    this.deadline = this.timers.setTimeout(() => {
      this.rollback = this.rollBack().catch(() => undefined);
    }, this.confirmMs);
    const patch = await runner.send(
      `show diff rollback-patch checkpoint ${this.name} running-config`,
    );
    this.diff = rollbackPatchBody(patch);
  }

  async confirm(): Promise<void> {
    await this.rollback;
    if (this.state === 'rolled_back') {
      throw this.runner.failure(
        'rolled_back',
        'confirm',
        `rolled back to checkpoint ${this.name} after ${this.confirmMs} ms without confirm`,
      );
    }
    this.require('committed', 'confirm');
    this.deadline?.cancel();
    this.state = 'confirmed';
    await this.runner.tryAll([`no checkpoint ${this.name}`]);
    await this.runner.expect(
      'copy running-config startup-config',
      /Copy complete/,
      'commit_failed',
    );
    await this.runner.tryAll(['no terminal dont-ask']);
  }

  async abort(): Promise<void> {
    await this.rollback;
    if (this.state === 'staged') {
      this.state = 'aborted';
      await this.discardSession();
      return;
    }
    if (this.state === 'committed') await this.rollBack();
  }

  private async rollBack(): Promise<void> {
    if (this.state !== 'committed') return;
    this.state = 'rolling_back';
    this.deadline?.cancel();
    const command = `rollback running-config checkpoint ${this.name} atomic`;
    const output = await this.runner.send(command);
    if (!/Rollback completed successfully/.test(output)) {
      this.state = 'committed';
      throw this.runner.failure('commit_failed', command, output.trim(), 'a completed rollback');
    }
    this.state = 'rolled_back';
    await this.runner.tryAll([`no checkpoint ${this.name}`, 'no terminal dont-ask']);
  }

  private async discardSession(): Promise<void> {
    await this.runner.tryAll([`configure session ${this.name}`, 'abort']);
  }

  private require(state: State, action: string): void {
    if (this.state === state) return;
    throw new DriverError(
      'protocol_error',
      `${this.runner.device}: cannot ${action} a change that is ${this.state}, expected ${state}`,
      { device: this.runner.device },
    );
  }
}

/** The patch after NX-OS's `Generating Rollback Patch` line; `` for an empty patch. */
export function rollbackPatchBody(output: string): string {
  if (/Rollback Patch is Empty/.test(output)) return '';
  const lines = output.split('\n');
  const start = lines.findIndex((line) => /Generating Rollback Patch/.test(line));
  return bounded(
    lines
      .slice(start + 1)
      .join('\n')
      .trim(),
  );
}

export const ciscoNxosDefinition: DriverDefinition = {
  platform: 'cisco_nxos',
  promptPattern,
  pager: { pattern: /--More--\s?$/, response: ' ' },
  create: (session, options) => new NxosDriver(session, options),
};
