import type { CliSession } from './CliSession.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError } from './DriverError.ts';
import { requireState } from './requireState.ts';
import { withLiveSession } from './withLiveSession.ts';

/**
 * The Junos prompt with what Junos prints above it in configuration mode: the pending
 * commit-confirmed notice and the `[edit …]` line, so that they stay out of command output.
 */
const promptPattern = new RegExp(
  [
    String.raw`(?:^|\n)`,
    String.raw`(?:# commit confirmed will be rolled back in \d+ minutes?\n)?`,
    String.raw`(?:\[edit(?: [^\]\n]*)?\]\n)?`,
    String.raw`(?:\{\w+(?::\w*\d)?\}\n)?`,
    String.raw`[\w\-@()/:.]{1,63}[>#] ?$`,
  ].join(''),
);

const loadPrompt = /\[Type \^D at a new line to end input\]\n?$/;
const exitQuestion = /Exit with uncommitted changes\? \[yes,no\] \(yes\) ?$/;
/** Junos's own error wordings (devices.md §4); any of them means the command failed. */
const errorPattern = new RegExp(
  String.raw`(^|\n)\s*(error:|syntax error|unknown command|missing (mandatory )?argument|` +
    'invalid numeric value|is ambiguous|No valid completions)',
);
const defaultConfirmMs = 5 * 60_000;

type Stage = 'staged' | 'committed' | 'confirmed' | 'aborted';

/**
 * Junos over the CLI: `configure exclusive`, `load set terminal` (or `load merge terminal` for
 * curly-brace text) ended by Ctrl-D,
 * `commit check`, `show | compare` as the device diff, `commit confirmed N` whose rollback the
 * router runs itself if the caller never confirms, `commit` to confirm.
 */
export class JunosDriver implements DeviceDriver {
  readonly platform = 'juniper_junos';
  readonly session: CliSession;
  private readonly timeoutMs: number;

  constructor(
    session: CliSession,
    readonly options: DriverOptions,
  ) {
    this.session = session;
    this.timeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  async prepare(): Promise<void> {
    await this.expect('set cli screen-length 0', /Screen length set to 0/);
    await this.expect('set cli screen-width 511', /Screen width set to 511/);
    await this.expect('set cli complete-on-space off', /Disabling complete-on-space/);
  }

  async getConfig(): Promise<string> {
    const output = await this.send('show configuration | display set | no-more');
    this.failOnError('show configuration | display set | no-more', output, 'protocol_error');
    return cleanConfig(output);
  }

  async stage(lines: readonly string[], options: StageOptions = {}): Promise<PendingChange> {
    checkConfigLines(this.session.device, lines);
    const confirmMs = options.confirmTimeoutMs ?? defaultConfirmMs;
    await this.configureExclusive();

    try {
      await this.load(lines);
      const check = await this.send('commit check');
      if (!/configuration check succeeds/.test(check)) {
        throw new DriverError(
          'commit_failed',
          `${this.session.device}: commit check failed, expected "configuration check succeeds",` +
            ` found: ${firstLines(check)}`,
          { device: this.session.device, line: 'commit check', deviceMessage: check.trim() },
        );
      }
      const diff = stripEditLines(await this.send('show | compare'));
      return new JunosPendingChange(this, diff, minutesFor(confirmMs));
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Enters `configure exclusive`; refused while another session holds the lock. */
  async configureExclusive(): Promise<void> {
    const entered = await this.send('configure exclusive');
    if (!/Entering configuration mode/.test(entered)) {
      throw this.rejected('configure exclusive', entered, 'the exclusive configuration lock');
    }
  }

  /** Sends `command` and fails unless the output matches `expected`. */
  async expect(command: string, expected: RegExp): Promise<string> {
    const output = await this.send(command);
    if (!expected.test(output)) {
      throw new DriverError(
        'protocol_error',
        `${this.session.device}: "${command}" answered ${JSON.stringify(firstLines(output))},` +
          ` expected ${expected}`,
        { device: this.session.device, line: command, deviceMessage: output.trim() },
      );
    }
    return output;
  }

  send(command: string, prompt?: RegExp): Promise<string> {
    const options =
      prompt === undefined ? { timeoutMs: this.timeoutMs } : { prompt, timeoutMs: this.timeoutMs };
    return this.session.send(command, options);
  }

  /** Throws `code` when the output carries one of Junos's error wordings. */
  failOnError(command: string, output: string, code: 'protocol_error' | 'commit_failed'): void {
    if (!errorPattern.test(output)) return;
    throw new DriverError(
      code,
      `${this.session.device}: "${command}" failed: ${firstLines(output)}`,
      {
        device: this.session.device,
        line: command,
        deviceMessage: output.trim(),
      },
    );
  }

  /** Drops the candidate and leaves configuration mode, releasing the lock. Best effort. */
  async discard(): Promise<void> {
    if (this.session.closed) return;
    try {
      await this.send('rollback 0');
      await this.leaveConfiguration();
    } catch {
      // The session is gone or wedged; the router discards an exclusive candidate itself
      // when the session ends, so there is nothing more to undo here.
    }
  }

  async leaveConfiguration(): Promise<void> {
    const output = await this.send(
      'exit configuration-mode',
      new RegExp(`${exitQuestion.source}|${promptPattern.source}`),
    );
    if (exitQuestion.test(output)) await this.send('yes');
  }

  /**
   * `load set terminal` for `set`/`delete` lines, `load merge terminal` for curly-brace text;
   * the input ends with Ctrl-D at the start of a line.
   */
  private async load(lines: readonly string[]): Promise<void> {
    const format = lines.every((line) => /^\s*(set |delete |#|$)/.test(line)) ? 'set' : 'merge';
    await this.send(`load ${format} terminal`, loadPrompt);
    for (const line of lines) this.session.write(`${line}\n`);
    this.session.write('\x04');
    const output = await this.session.readUntil(promptPattern, { timeoutMs: this.timeoutMs });
    const summary = /load complete(?: \((\d+) errors?\))?/.exec(output);
    if (summary !== null && summary[1] === undefined && !/syntax error/.test(output)) return;

    const lineError = /terminal:(\d+):\(\d+\)[^\n]*/.exec(output);
    const failing = lineError === null ? undefined : lines[Number(lineError[1]) - 1];
    const message = lineError?.[0] ?? /terminal:[^\n]*/.exec(output)?.[0] ?? firstLines(output);
    const what = failing === undefined ? 'the change' : `"${failing}"`;
    throw new DriverError(
      'command_rejected',
      `${this.session.device}: Junos rejected ${what}: ${message}`,
      {
        device: this.session.device,
        deviceMessage: message,
        ...(failing === undefined ? {} : { line: failing }),
      },
    );
  }

  private rejected(command: string, output: string, what: string): DriverError {
    return new DriverError(
      'command_rejected',
      `${this.session.device}: could not take ${what}: ${firstLines(output)}`,
      { device: this.session.device, line: command, deviceMessage: output.trim() },
    );
  }
}

/** The staged Junos candidate, inside `configure exclusive` until confirmed or aborted. */
class JunosPendingChange implements PendingChange {
  readonly deviceDiff: string;
  private readonly driver: JunosDriver;
  private readonly minutes: number;
  private stage: Stage = 'staged';
  /** Running before and after `commit confirmed`, in `display set` form. */
  private previousConfig: string | undefined;
  private committedConfig: string | undefined;

  constructor(driver: JunosDriver, deviceDiff: string, minutes: number) {
    this.driver = driver;
    this.deviceDiff = deviceDiff;
    this.minutes = minutes;
  }

  async commit(): Promise<void> {
    this.require('staged', 'commit');
    this.previousConfig = await this.runningConfig();
    const command = `commit confirmed ${this.minutes}`;
    const output = await this.driver.send(command);
    if (!/commit complete/.test(output)) {
      this.stage = 'aborted';
      await this.driver.discard();
      throw new DriverError(
        'commit_failed',
        `${this.driver.session.device}: "${command}" failed, expected "commit complete", found:` +
          ` ${firstLines(output)}`,
        { device: this.driver.session.device, line: command, deviceMessage: output.trim() },
      );
    }
    this.stage = 'committed';
    this.committedConfig = await this.runningConfig();
  }

  /**
   * Confirms with a plain `commit`. Junos accepts that even after its timer rolled the change
   * back (it then commits the rolled-back config), so the running config after the confirm is
   * compared with the one committed; a difference means the timer won, reported `rolled_back`.
   * Checking after the commit, not before, leaves no window for the timer to fire unseen.
   */
  async confirm(): Promise<void> {
    this.require('committed', 'confirm');
    const output = await this.driver.send('commit');
    if (/(^|\n)\s*error:/.test(output)) {
      // The change stays under the router's timer, which will roll it back.
      this.stage = 'aborted';
      await this.driver.discard();
      this.driver.failOnError('commit', output, 'commit_failed');
    }
    const now = await this.runningConfig();
    await this.driver.leaveConfiguration();
    if (now !== this.committedConfig) {
      this.stage = 'aborted';
      throw new DriverError(
        'rolled_back',
        `${this.driver.session.device}: the running config is no longer the one committed;` +
          ` the router's commit-confirmed timer (${this.minutes} min) rolled it back`,
        { device: this.driver.session.device },
      );
    }
    this.stage = 'confirmed';
  }

  async abort(): Promise<void> {
    if (this.stage === 'aborted') return;
    if (this.stage === 'confirmed') {
      requireState(this.driver.session.device, 'abort', this.stage, 'staged or committed');
    }
    const wasCommitted = this.stage === 'committed';
    this.stage = 'aborted';
    if (!wasCommitted) {
      await this.driver.discard();
      return;
    }
    const manualStep =
      `the router rolls back within ${this.minutes} min, or run "rollback 1" and "commit"` +
      ' in configure exclusive';
    const { session, options } = this.driver;
    await withLiveSession(session, options.reopenSession, manualStep, async (live, reopened) => {
      const driver = reopened ? new JunosDriver(live, options) : this.driver;
      if (reopened) {
        await driver.prepare();
        await driver.configureExclusive();
      }
      await this.restorePrevious(driver);
      await driver.leaveConfiguration();
    });
  }

  /**
   * `rollback 1` and `commit` (which also stops the timer), until running is the config from
   * before our commit. Checked each time, because once the router's timer has rolled back,
   * `rollback 1` is our change itself; the second round undoes a timer that fired between
   * the check and the commit. Known shortcoming: if someone else committed after us (possible
   * only once our session, and with it the exclusive lock, was lost), `rollback 1` is their
   * commit's predecessor; two rounds do not reach the old config and this ends in
   * `commit_failed` for a person to sort out with `show system commit`.
   */
  private async restorePrevious(driver: JunosDriver): Promise<void> {
    for (let round = 0; round < 2; round += 1) {
      if ((await runningConfigOf(driver)) === this.previousConfig) return;
      await driver.expect('rollback 1', /load complete/);
      const output = await driver.send('commit');
      driver.failOnError('commit', output, 'commit_failed');
    }
    if ((await runningConfigOf(driver)) === this.previousConfig) return;
    throw new DriverError(
      'commit_failed',
      `${driver.session.device}: after "rollback 1" and "commit" the running config is still` +
        ' not the one from before the change; compare "show system commit" by hand',
      { device: driver.session.device },
    );
  }

  private runningConfig(): Promise<string> {
    return runningConfigOf(this.driver);
  }

  private require(stage: Stage, action: string): void {
    requireState(this.driver.session.device, action, this.stage, stage);
  }
}

/** Running, from configuration mode, in `display set` form. */
async function runningConfigOf(driver: JunosDriver): Promise<string> {
  return cleanConfig(await driver.send('run show configuration | display set | no-more'));
}

/** `show configuration` output without `## Last commit` and the `[edit]` lines around it. */
export function cleanConfig(output: string): string {
  return stripEditLines(output)
    .split('\n')
    .filter((line) => !/^## Last commit: /.test(line))
    .join('\n')
    .trim();
}

/**
 * Drops the `[edit …]` and `{master:0}` lines that trail output above the prompt; those inside
 * (the headers of `show | compare`) are content and stay.
 */
function stripEditLines(output: string): string {
  const lines = output.trimEnd().split('\n');
  while (lines.length > 0 && /^(\[edit( [^\]]*)?\]|\{\w+(:\w*\d)?\}|)$/.test(lines.at(-1) ?? '')) {
    lines.pop();
  }
  return lines.join('\n').trim();
}

/** Junos counts commit-confirmed time in whole minutes; never less than asked for. */
function minutesFor(confirmMs: number): number {
  return Math.min(65_535, Math.max(1, Math.ceil(confirmMs / 60_000)));
}

function firstLines(output: string): string {
  return output.trim().split('\n').slice(0, 5).join(' | ').slice(0, 500);
}

export const juniperJunosDefinition: DriverDefinition = {
  platform: 'juniper_junos',
  promptPattern,
  pager: { pattern: /---\(more(?: \d+%)?\)---$/, response: ' ' },
  create: (session, options) => new JunosDriver(session, options),
};
