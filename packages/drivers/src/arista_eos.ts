import type { CliSession } from './CliSession.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import {
  CommandRunner,
  changeName,
  cleanConfig,
  configBody,
  defaultConfirmMs,
} from './ciscoStyle.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { requireState } from './requireState.ts';
import { withLiveSession } from './withLiveSession.ts';

/** Every EOS prompt, config sessions included (devices.md §1, §8). */
const promptPattern = /(?:^|\n)[\w.\-@()/: ]{1,63}[>#]\s?$/;
/** EOS error wordings (devices.md §4). */
const errorPattern = /^% /;
/** EOS's `! ` comments: command, device and boot lines, and `! Time:` where printed. */
const volatile = [/^! /];
/** EOS accepts commit timers up to a day here (see the simulator). */
const maxTimerSeconds = 24 * 3600;

/** `show running-config` of EOS with the `! ` comment lines removed (devices.md §3). */
export function cleanEosConfig(output: string): string {
  return cleanConfig(output, volatile);
}

/** 300000 ms → `00:05:00`, rounded up to whole seconds. */
export function commitTimer(ms: number): string {
  const total = Math.min(maxTimerSeconds, Math.max(1, Math.ceil(ms / 1000)));
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/**
 * Arista EOS. The change goes into a configuration session; `show session-config diffs` is the
 * device diff; `commit timer hh:mm:ss` applies it and the switch rolls it back by itself unless
 * `configure session NAME commit` confirms in time, so a caller that disappears, at any step,
 * leaves the old configuration.
 */
export class EosDriver implements DeviceDriver {
  readonly platform = 'arista_eos';
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
    await this.runner.expect('terminal length 0', /Pagination disabled/);
    await this.runner.expect('terminal width 32767', /Width set to/);
  }

  async getConfig(): Promise<string> {
    const output = await this.runner.expect('show running-config', /^! Command: show running/m);
    return cleanEosConfig(output);
  }

  async stage(lines: readonly string[], options: StageOptions = {}): Promise<PendingChange> {
    checkConfigLines(this.session.device, lines);
    // `end` and `! ` comments would drop out of the session (devices.md §4).
    const body = configBody(lines);
    const name = changeName();
    await this.runner.checked(`configure session ${name}`, 'protocol_error');
    await this.runner.sendLines(body, ['abort']);
    const diff = await this.runner.send('show session-config diffs');
    await this.runner.send('end');
    const confirmMs = options.confirmTimeoutMs ?? defaultConfirmMs;
    return new EosPendingChange(this.runner, this.options, name, diff.trim(), confirmMs);
  }
}

function runnerFor(session: CliSession, options: DriverOptions): CommandRunner {
  return new CommandRunner(session, options.commandTimeoutMs ?? 30_000, errorPattern);
}

class EosPendingChange implements PendingChange {
  private state: 'staged' | 'committed' | 'confirmed' | 'aborted' = 'staged';

  constructor(
    private readonly runner: CommandRunner,
    private readonly options: DriverOptions,
    private readonly name: string,
    readonly deviceDiff: string,
    private readonly confirmMs: number,
  ) {}

  async commit(): Promise<void> {
    this.require('staged', 'commit');
    await this.runner.checked(`configure session ${this.name}`, 'commit_failed');
    const command = `commit timer ${commitTimer(this.confirmMs)}`;
    const output = await this.runner.send(command);
    if (/^% /m.test(output)) {
      this.state = 'aborted';
      await this.runner.tryAll(['abort']);
      throw this.runner.failure('commit_failed', command, output.trim());
    }
    this.state = 'committed';
  }

  async confirm(): Promise<void> {
    this.require('committed', 'confirm');
    const command = `configure session ${this.name} commit`;
    const output = await this.runner.send(command);
    if (/^% /m.test(output)) {
      this.state = 'aborted';
      const expired = /aborted/.test(output);
      throw this.runner.failure(
        expired ? 'rolled_back' : 'commit_failed',
        command,
        output.trim(),
        expired ? 'the commit timer still running (it expired and EOS rolled back)' : undefined,
      );
    }
    this.state = 'confirmed';
    await this.runner.expect('write memory', /Copy completed successfully/, 'commit_failed');
  }

  /** Aborts the session now; sessions are the switch's, so a lost one is replaced. */
  async abort(): Promise<void> {
    if (this.state === 'staged' || this.state === 'committed') {
      const command = `configure session ${this.name} abort`;
      const manualStep = `the switch rolls back at the commit timer, or run "${command}"`;
      const reopen = this.options.reopenSession;
      await withLiveSession(this.runner.session, reopen, manualStep, async (live, reopened) => {
        const runner = reopened ? runnerFor(live, this.options) : this.runner;
        await runner.send(command);
      });
    }
    this.state = 'aborted';
  }

  private require(state: EosPendingChange['state'], action: string): void {
    requireState(this.runner.device, action, this.state, state);
  }
}

export const aristaEosDefinition: DriverDefinition = {
  platform: 'arista_eos',
  promptPattern,
  pager: { pattern: / --More-- ?$/, response: ' ' },
  create: (session, options) => new EosDriver(session, options),
};
