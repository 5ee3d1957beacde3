import type { CliSession } from './CliSession.ts';
import { DriverError } from './DriverError.ts';

/** How much of the device's answer goes into an error message. */
const maxMessageChars = 500;

/**
 * Removes the vendor's volatile lines from `show running-config`, then the runs of `!` that
 * removal leaves behind (IOS prints `!`, `! Last configuration change…`, `!`) and the blank
 * lines at either end. The same function applied to an intended config gives the same text
 * when the device runs it.
 */
export function cleanConfig(output: string, volatile: readonly RegExp[]): string {
  const kept: string[] = [];
  for (const line of output.split('\n')) {
    if (volatile.some((pattern) => pattern.test(line))) continue;
    if (line.trim() === '!' && kept.at(-1)?.trim() === '!' && kept.at(-1) === line) continue;
    kept.push(line);
  }
  while (kept.length > 0 && kept[0]?.trim() === '') kept.shift();
  while (kept.length > 0 && kept.at(-1)?.trim() === '') kept.pop();
  return kept.join('\n');
}

/** The device's error for a command, caret line included, or undefined when it took it. */
export function deviceError(output: string, errorPattern: RegExp): string | undefined {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => errorPattern.test(line));
  if (index === -1) return undefined;
  const start = index > 0 && /^\s*\^\s*$/.test(lines[index - 1] ?? '') ? index - 1 : index;
  return bounded(lines.slice(start).join('\n').trim());
}

export function bounded(text: string): string {
  return text.length > maxMessageChars ? `${text.slice(0, maxMessageChars)}…` : text;
}

/**
 * The lines worth sending in configuration mode: without blank lines, `!` comments and `end`,
 * which would leave configuration mode (or an EOS session) before the change is complete.
 */
export function configBody(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    const text = line.trim();
    return text !== '' && text !== 'end' && !text.startsWith('!');
  });
}

/** Sends commands with the driver's timeout and turns unexpected answers into DriverErrors. */
export class CommandRunner {
  constructor(
    readonly session: CliSession,
    private readonly timeoutMs: number,
    private readonly errorPattern: RegExp,
  ) {}

  get device(): string {
    return this.session.device;
  }

  send(command: string): Promise<string> {
    return this.session.send(command, { timeoutMs: this.timeoutMs });
  }

  /** Sends `command`; throws `code` when the device answers with an error. */
  async checked(command: string, code: 'protocol_error' | 'commit_failed'): Promise<string> {
    const output = await this.send(command);
    const message = deviceError(output, this.errorPattern);
    if (message !== undefined) throw this.failure(code, command, message);
    return output;
  }

  /** Sends `command`; throws `code` unless the answer matches `expected`. */
  async expect(
    command: string,
    expected: RegExp,
    code: 'protocol_error' | 'commit_failed' = 'protocol_error',
  ): Promise<string> {
    const output = await this.send(command);
    if (!expected.test(output)) {
      const found = bounded(output.trim()) || '(nothing)';
      throw this.failure(code, command, found, `expected ${expected}`);
    }
    return output;
  }

  /** The error for a line the device refused in configuration mode. */
  rejected(line: string, message: string): DriverError {
    return new DriverError(
      'command_rejected',
      `${this.device}: the device rejected "${line}": ${message}`,
      { device: this.device, line, deviceMessage: message },
    );
  }

  failure(
    code: 'protocol_error' | 'commit_failed' | 'rolled_back',
    command: string,
    found: string,
    expected?: string,
  ): DriverError {
    const want = expected === undefined ? '' : `${expected}, `;
    return new DriverError(
      code,
      `${this.device}: "${command}" failed: ${want}found ${JSON.stringify(found)}`,
      { device: this.device, line: command, deviceMessage: found },
    );
  }

  /** Best effort on the way out of a failure: the session may already be gone. */
  async tryAll(commands: readonly string[]): Promise<void> {
    for (const command of commands) {
      if (this.session.closed) return;
      try {
        await this.send(command);
      } catch {
        return;
      }
    }
  }

  /** Sends configuration lines; on the first refused one, runs `undo` and throws. */
  async sendLines(lines: readonly string[], undo: readonly string[]): Promise<void> {
    for (const line of lines) {
      const output = await this.send(line);
      const message = deviceError(output, this.errorPattern);
      if (message === undefined) continue;
      await this.tryAll(undo);
      throw this.rejected(line, message);
    }
  }
}

/** Driver-side deadline default, as in StageOptions. */
export const defaultConfirmMs = 5 * 60_000;

/** A unique name for a checkpoint or session: letters, digits and dashes only. */
export function changeName(): string {
  const random = Math.floor(Math.random() * 36 ** 4).toString(36);
  return `plumbline-${Date.now().toString(36)}${random}`;
}
