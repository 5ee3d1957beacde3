import type { CliSession } from './CliSession.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import {
  bounded,
  CommandRunner,
  changeName,
  cleanConfig,
  configBody,
  defaultConfirmMs,
} from './ciscoStyle.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError, withOutcome } from './DriverError.ts';
import { realTimers } from './DriverTimers.ts';
import { requireState } from './requireState.ts';
import { withLiveSession } from './withLiveSession.ts';

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
 * NX-OS has no confirm timer of its own, so the deadline is kept by this driver. When the
 * session that committed is gone by then (lost, or closed by a caller that went away), the
 * rollback runs on a new session from `reopenSession`. Known shortcoming: the deadline lives
 * in this process; if the process ends between `commit()` and `confirm()`, nothing rolls the
 * change back, and checkpoint `plumbline-…` on the switch is what a person rolls back to.
 */
export class NxosDriver implements DeviceDriver {
  readonly platform = 'cisco_nxos';
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
    return new NxosPendingChange(this.runner, this.options, name, shown.trim(), confirmMs);
  }
}

function runnerFor(session: CliSession, options: DriverOptions): CommandRunner {
  return new CommandRunner(session, options.commandTimeoutMs ?? 30_000, errorPattern);
}

type State = 'staged' | 'committed' | 'rolled_back' | 'confirmed' | 'aborted';

class NxosPendingChange implements PendingChange {
  private state: State = 'staged';
  private deadline: { cancel(): void } | undefined;
  /** Set when the deadline passed: from then on the change can only be rolled back. */
  private expired = false;
  private rollback: Promise<void> | undefined;
  private rollbackError: unknown;
  private diff: string;

  constructor(
    private readonly runner: CommandRunner,
    private readonly options: DriverOptions,
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

  /**
   * The deadline is armed before the session commit is sent: if the answer never comes (lost
   * connection, timeout) the commit may or may not have applied, and the checkpoint is
   * restored at once.
   */
  async commit(): Promise<void> {
    this.require('staged', 'commit');
    const runner = this.runner;
    await runner.checked('terminal dont-ask', 'protocol_error');
    await runner.expect(`checkpoint ${this.name}`, /Done/, 'commit_failed').catch(async (e) => {
      await this.discardSession();
      throw e;
    });
    await runner.expect(`configure session ${this.name}`, /Config Session started/);
    this.state = 'committed';
    this.deadline = (this.options.timers ?? realTimers).setTimeout(() => {
      this.expired = true;
      this.rollBack().catch((error: unknown) => {
        this.rollbackError = error;
      });
    }, this.confirmMs);
    const output = await runner.send('commit').catch(async (error: unknown) => {
      const outcome = await this.rollBack().then(
        () => `rolled back to checkpoint ${this.name}`,
        (failure: unknown) =>
          `rolling back to checkpoint ${this.name} failed too (${messageOf(failure)});` +
          ' the deadline or abort() tries again',
      );
      throw withOutcome(error, outcome);
    });
    if (!/Commit Successful/.test(output)) {
      this.state = 'aborted';
      this.deadline.cancel();
      await runner.tryAll(['end', `no checkpoint ${this.name}`]);
      throw runner.failure(
        'commit_failed',
        'commit',
        output.trim(),
        'expected "Commit Successful"',
      );
    }
    const patch = await runner.send(
      `show diff rollback-patch checkpoint ${this.name} running-config`,
    );
    this.diff = rollbackPatchBody(patch);
  }

  async confirm(): Promise<void> {
    await this.rollback?.catch(() => undefined);
    if (this.state === 'rolled_back') {
      throw this.runner.failure(
        'rolled_back',
        'confirm',
        `rolled back to checkpoint ${this.name} after ${this.confirmMs} ms without confirm`,
      );
    }
    if (this.expired) {
      throw this.runner.failure(
        'commit_failed',
        'confirm',
        `the ${this.confirmMs} ms deadline passed and rolling back failed: ` +
          `${messageOf(this.rollbackError)}; the change is still on the switch (abort() retries)`,
      );
    }
    this.require('committed', 'confirm');
    if (this.runner.session.closed) {
      throw new DriverError(
        'connection_lost',
        `${this.runner.device}: cannot confirm, the session is closed; the change is rolled` +
          ' back at its deadline, or at once by abort()',
        { device: this.runner.device },
      );
    }
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
    await this.rollback?.catch(() => undefined);
    if (this.state === 'staged') {
      this.state = 'aborted';
      await this.discardSession();
      return;
    }
    if (this.state === 'committed') await this.rollBack();
  }

  /** Rolls back to the checkpoint once, whoever asks first; a failure allows a retry. */
  private rollBack(): Promise<void> {
    if (this.rollback !== undefined) return this.rollback;
    if (this.state !== 'committed') return Promise.resolve();
    this.rollback = this.restoreCheckpoint().then(
      () => {
        this.deadline?.cancel();
        this.state = 'rolled_back';
      },
      (error: unknown) => {
        this.rollback = undefined;
        throw error;
      },
    );
    return this.rollback;
  }

  private restoreCheckpoint(): Promise<void> {
    const command = `rollback running-config checkpoint ${this.name} atomic`;
    const manualStep = `run "${command}" on the switch by hand`;
    const reopen = this.options.reopenSession;
    return withLiveSession(this.runner.session, reopen, manualStep, async (live, reopened) => {
      const runner = reopened ? runnerFor(live, this.options) : this.runner;
      if (reopened) {
        await new NxosDriver(live, this.options).prepare();
        await runner.checked('terminal dont-ask', 'protocol_error');
      }
      const output = await runner.send(command);
      if (!/Rollback completed successfully/.test(output)) {
        throw runner.failure('commit_failed', command, output.trim(), 'a completed rollback');
      }
      await runner.tryAll([`no checkpoint ${this.name}`, 'no terminal dont-ask']);
    });
  }

  /** Drops the uncommitted configuration session; a closed session leaves it on the switch. */
  private async discardSession(): Promise<void> {
    await this.runner.tryAll([`configure session ${this.name}`, 'abort']);
  }

  private require(state: State, action: string): void {
    requireState(this.runner.device, action, this.state, state);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
