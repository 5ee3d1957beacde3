import type { CliSession } from './CliSession.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError } from './DriverError.ts';
import { requireState } from './requireState.ts';
import { withLiveSession } from './withLiveSession.ts';

/** MD-CLI's two-line prompt (devices.md §1, the safer form) or the classic `A:node# `. */
const mdCliPrompt = /(?:^|\n)[!*]*(?:\((?:ex|pr|gl|ro)[^)]*\))?\[[^\]\n]*\]\n[A-D]:\S+@\S+# ?$/;
const classicPrompt = /(?:^|\n)\*?[A-D]:[\w _.-]+(?:>config[\w>]*)?[#$] ?$/;
const promptPattern = new RegExp(`${mdCliPrompt.source}|${classicPrompt.source}`);

const errorPattern = /(?:^|\n)(?:MINOR|MAJOR|CRITICAL): [^\n]*/;
/** `commit confirmed accept|cancel` with nothing pending (wording from the simulator). */
const noConfirmedCommit = /No confirmed commit in progress/;
const volatilePattern = /^# (?:Generated|Last modified|Finished) /;
const defaultConfirmMs = 5 * 60_000;
/**
 * Commands that would end or commit the candidate behind the driver's back (a `commit` line
 * would commit without the confirmed timer); configuration lines may not use them.
 */
const sessionCommands = new Set([
  'admin',
  'commit',
  'discard',
  'edit-config',
  'environment',
  'logout',
  'quit-config',
  'rollback',
  'validate',
]);

type Stage = 'staged' | 'committed' | 'confirmed' | 'aborted';

/**
 * Nokia SR OS. MD-CLI: `edit-config private`, the caller's lines, `compare` as the device
 * diff, `validate`, `commit confirmed N`, then `commit confirmed accept` or `cancel`; the router
 * rolls back by itself when neither comes. Classic CLI (told apart by the `@` MD-CLI puts in
 * its prompt): reading only, since classic applies each line at once with no candidate.
 */
export class SrosDriver implements DeviceDriver {
  readonly platform = 'nokia_sros';
  readonly session: CliSession;
  private readonly timeoutMs: number;
  private classic = false;

  constructor(
    session: CliSession,
    readonly options: DriverOptions,
  ) {
    this.session = session;
    this.timeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  /** True when the router answered with the classic CLI; known after `prepare()`. */
  get isClassicCli(): boolean {
    return this.classic;
  }

  async prepare(): Promise<void> {
    this.session.write('\n');
    const seen = await this.session.readUntil(promptPattern, { timeoutMs: this.timeoutMs });
    this.classic = !mdCliPrompt.test(seen);
    if (this.classic) {
      await this.quiet('environment no more');
      return;
    }
    await this.quiet('environment more false');
    await this.quiet('environment console width 512');
    await this.quiet('environment command-completion space false');
  }

  async getConfig(): Promise<string> {
    const command = this.classic ? 'admin display-config' : 'admin show configuration | no-more';
    const output = await this.send(command);
    this.failOnError(command, output, 'protocol_error');
    return cleanConfig(output);
  }

  async stage(lines: readonly string[], options: StageOptions = {}): Promise<PendingChange> {
    if (this.classic) {
      throw new DriverError(
        'unsupported_platform',
        `${this.session.device}: SR OS classic CLI applies each line at once, with no candidate` +
          ' or commit confirmed; switch the router to model-driven (MD-CLI) to push safely',
        { device: this.session.device },
      );
    }
    checkConfigLines(this.session.device, lines);
    for (const line of lines) checkSessionCommand(this.session.device, line);
    await this.editPrivate();

    try {
      for (const line of lines) {
        const output = await this.send(line);
        const error = errorPattern.exec(output);
        if (error !== null) throw rejected(this.session.device, line, error[0].trim());
      }
      await this.send('exit all');
      const diff = (await this.send('compare | no-more')).replace(/^\n+|\s+$/g, '');
      const validation = await this.send('validate');
      this.failOnError('validate', validation, 'commit_failed');
      return new SrosPendingChange(
        this,
        diff,
        minutesFor(options.confirmTimeoutMs ?? defaultConfirmMs),
      );
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Enters a private candidate (`edit-config private`). */
  async editPrivate(): Promise<void> {
    const entered = await this.send('edit-config private');
    if (!/Entering private configuration mode/.test(entered)) {
      throw rejected(this.session.device, 'edit-config private', entered);
    }
  }

  send(command: string): Promise<string> {
    return this.session.send(command, { timeoutMs: this.timeoutMs });
  }

  failOnError(command: string, output: string, code: 'protocol_error' | 'commit_failed'): void {
    const error = errorPattern.exec(output);
    if (error === null) return;
    throw new DriverError(code, `${this.session.device}: "${command}" failed: ${error[0].trim()}`, {
      device: this.session.device,
      line: command,
      deviceMessage: error[0].trim(),
    });
  }

  /** Drops the private candidate and leaves configuration mode. Best effort. */
  async discard(): Promise<void> {
    if (this.session.closed) return;
    try {
      await this.send('discard');
      await this.send('quit-config');
    } catch {
      // The session is gone; SR OS drops a private candidate when its session ends.
    }
  }

  private async quiet(command: string): Promise<void> {
    const output = await this.send(command);
    this.failOnError(command, output, 'protocol_error');
  }
}

/** The private candidate of one `stage()`, committed with `commit confirmed`. */
class SrosPendingChange implements PendingChange {
  readonly deviceDiff: string;
  private readonly driver: SrosDriver;
  private readonly minutes: number;
  private stage: Stage = 'staged';

  constructor(driver: SrosDriver, deviceDiff: string, minutes: number) {
    this.driver = driver;
    this.deviceDiff = deviceDiff;
    this.minutes = minutes;
  }

  async commit(): Promise<void> {
    this.require('staged', 'commit');
    const command = `commit confirmed ${this.minutes}`;
    const output = await this.driver.send(command);
    try {
      this.driver.failOnError(command, output, 'commit_failed');
    } catch (error) {
      this.stage = 'aborted';
      await this.driver.discard();
      throw error;
    }
    this.stage = 'committed';
  }

  /** `commit confirmed accept`; SR OS refuses it once its timer has rolled the change back. */
  async confirm(): Promise<void> {
    this.require('committed', 'confirm');
    const output = await this.driver.send('commit confirmed accept');
    const error = errorPattern.exec(output);
    if (error !== null) {
      this.stage = 'aborted';
      await this.driver.discard();
      throw new DriverError(
        'rolled_back',
        `${this.driver.session.device}: commit confirmed accept was refused (${error[0].trim()});` +
          ` the router's ${this.minutes}-minute timer has rolled the change back`,
        { device: this.driver.session.device, deviceMessage: error[0].trim() },
      );
    }
    this.stage = 'confirmed';
    await this.driver.send('quit-config');
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
    const cancel = 'commit confirmed cancel';
    const manualStep = `the router rolls back within ${this.minutes} min, or run "${cancel}"`;
    const { session, options } = this.driver;
    await withLiveSession(session, options.reopenSession, manualStep, async (live, reopened) => {
      const driver = reopened ? new SrosDriver(live, options) : this.driver;
      if (reopened) {
        await driver.prepare();
        await driver.editPrivate();
      }
      const output = await driver.send('commit confirmed cancel');
      // Nothing pending means the router's timer rolled the change back already, as wanted.
      if (!noConfirmedCommit.test(output)) {
        driver.failOnError('commit confirmed cancel', output, 'commit_failed');
      }
      await driver.discard();
    });
  }

  private require(stage: Stage, action: string): void {
    requireState(this.driver.session.device, action, this.stage, stage);
  }
}

/** The configuration without `# Generated`, `# Last modified`, `# Finished` and blank runs. */
export function cleanConfig(output: string): string {
  return output
    .split('\n')
    .filter((line) => !volatilePattern.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function rejected(device: string, line: string, message: string): DriverError {
  return new DriverError('command_rejected', `${device}: SR OS rejected "${line}": ${message}`, {
    device,
    line,
    deviceMessage: message,
  });
}

/** SR OS counts commit-confirmed time in whole minutes; never less than asked for. */
function minutesFor(confirmMs: number): number {
  return Math.min(168 * 60, Math.max(1, Math.ceil(confirmMs / 60_000)));
}

/** Refuses a line that would commit or leave the candidate behind the driver's back. */
function checkSessionCommand(device: string, line: string): void {
  const verb = line.trim().replace(/^\/+/, '').split(/\s+/)[0] ?? '';
  if (sessionCommands.has(verb)) {
    throw new DriverError(
      'command_rejected',
      `${device}: refusing "${verb}" among configuration lines; the driver itself validates,` +
        ' commits and confirms, so a line must not',
      { device, line: line.slice(0, 200) },
    );
  }
}

export const nokiaSrosDefinition: DriverDefinition = {
  platform: 'nokia_sros',
  promptPattern,
  pager: {
    pattern: new RegExp(
      String.raw`Press Q to quit, Enter to print next line or any other key to print next page\.$` +
        String.raw`|Press any key to continue \(Q to quit\)$`,
    ),
    response: ' ',
  },
  create: (session, options) => new SrosDriver(session, options),
};
