import { StringDecoder } from 'node:string_decoder';
import type { Logger } from '@plumbline/log';
import type { Client, ClientChannel } from 'ssh2';
import type { CliSession, SendOptions, SshAlgorithms } from './CliSession.ts';
import { DriverError } from './DriverError.ts';
import { type DriverTimers, realTimers } from './DriverTimers.ts';
import { matchAtEnd } from './matchAtEnd.ts';
import {
  applyBackspaces,
  incompleteEscapeStart,
  normaliseLineEndings,
  stripAnsi,
} from './stripAnsi.ts';

export interface SshCliSessionOptions {
  device: string;
  channel: ClientChannel;
  /** The connections under the channel, the device's first; all end on close. */
  clients: readonly Client[];
  algorithms: SshAlgorithms;
  promptPattern: RegExp;
  pager?: { pattern: RegExp; response: string };
  commandTimeoutMs: number;
  maxOutputBytes: number;
  maxPages: number;
  logger?: Logger;
  /** Command deadlines; the grace period of `close()` always runs on real time. */
  timers?: DriverTimers;
}

interface Reader {
  pattern: RegExp;
  /** Where the match may start: after the echoed command for `send`. */
  fromEcho: boolean;
  what: string;
  resolve: (match: { start: number; end: number }) => void;
  reject: (error: DriverError) => void;
}

/**
 * A `CliSession` over an SSH shell channel. Text is decoded, stripped of ANSI escapes and
 * normalised to `\n` as it arrives, and kept only until the current read finishes.
 *
 * Every error (timeout, output too large, endless paging, lost connection) closes the session:
 * after it the device may still be printing, and its output can no longer be told apart from
 * the next command's. Callers open a new session to go on (for example to roll back).
 */
export class SshCliSession implements CliSession {
  readonly device: string;
  readonly algorithms: SshAlgorithms;
  private prompt: RegExp;
  private readonly timers: DriverTimers;
  private buffer = '';
  /**
   * Bytes received since the current command was sent, before decoding and ANSI stripping, so
   * that output made only of escape sequences (which strip to nothing) still counts.
   */
  private receivedBytes = 0;
  private heldBack = '';
  private readonly decoder = new StringDecoder('utf8');
  private reader: Reader | undefined;
  private failure: DriverError | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pagesAnswered = 0;
  private isClosed = false;
  private readonly endedClients = new Set<Client>();

  constructor(private readonly options: SshCliSessionOptions) {
    this.device = options.device;
    this.algorithms = options.algorithms;
    this.timers = options.timers ?? realTimers;
    this.prompt = options.promptPattern;
    options.channel.on('data', (chunk: Buffer) => this.receive(chunk));
    options.channel.stderr.on('data', (chunk: Buffer) => this.receive(chunk));
    options.channel.once('close', () => this.lost('the channel closed'));
    for (const client of options.clients) {
      client.on('error', (error) => this.lost(error.message));
      client.once('close', () => {
        this.endedClients.add(client);
        this.lost('the connection closed');
      });
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  setPrompt(pattern: RegExp): void {
    this.prompt = pattern;
  }

  write(data: string): void {
    if (!this.isClosed) this.options.channel.write(data);
  }

  send(command: string, options: SendOptions = {}): Promise<string> {
    return this.serially(async () => {
      this.buffer = '';
      this.receivedBytes = 0;
      this.pagesAnswered = 0;
      this.write(`${command}\n`);
      const pattern = options.prompt ?? this.prompt;
      const match = await this.read(pattern, true, `"${command}"`, options.timeoutMs);
      return removeEcho(this.take(match).slice(0, match.start), command);
    });
  }

  readUntil(pattern: RegExp, options: { timeoutMs?: number } = {}): Promise<string> {
    return this.serially(async () => {
      this.receivedBytes = this.buffer.length;
      this.pagesAnswered = 0;
      const match = await this.read(pattern, false, `/${pattern.source}/`, options.timeoutMs);
      return this.take(match);
    });
  }

  async close(): Promise<void> {
    const open = this.options.clients.filter((client) => !this.endedClients.has(client));
    if (this.isClosed && open.length === 0) return;
    this.isClosed = true;
    if (this.failure === undefined) {
      // A command still waiting fails now rather than at its deadline.
      const waiting = this.reader === undefined ? '' : ` while waiting for ${this.reader.what}`;
      this.stop('connection_lost', `${this.device}: session closed${waiting}`, false);
    }
    const ended = open.map(
      (client) => new Promise<void>((resolve) => client.once('close', () => resolve())),
    );
    this.options.channel.close();
    for (const client of this.options.clients) client.end();
    // A peer that never answers the disconnect must not hold the caller; destroy after 2 s.
    let timer: { cancel(): void } | undefined;
    const late = new Promise((resolve) => {
      timer = realTimers.setTimeout(() => resolve(undefined), 2000);
    });
    await Promise.race([Promise.all(ended), late]);
    timer?.cancel();
    for (const client of open) client.destroy();
  }

  /** Runs reads one after another, so two callers never share the buffer. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.failure !== undefined) throw this.failure;
      return task();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private read(
    pattern: RegExp,
    fromEcho: boolean,
    what: string,
    timeoutMs = this.options.commandTimeoutMs,
  ): Promise<{ start: number; end: number }> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.fail(
          'timeout',
          `${this.device}: no ${fromEcho ? 'prompt after' : 'match for'} ${what} within ` +
            `${timeoutMs} ms (expected /${pattern.source}/, last output: ` +
            `${JSON.stringify(this.buffer.slice(-80))})`,
        );
      }, timeoutMs);
      this.reader = {
        pattern,
        fromEcho,
        what,
        resolve: (match) => {
          timer.cancel();
          resolve(match);
        },
        reject: (error) => {
          timer.cancel();
          reject(error);
        },
      };
      this.check();
    });
  }

  private take(match: { start: number; end: number }): string {
    const text = this.buffer.slice(0, match.end);
    this.buffer = this.buffer.slice(match.end);
    return text;
  }

  private receive(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.receivedBytes += chunk.length;
    let text = this.heldBack + this.decoder.write(chunk);
    let cut = incompleteEscapeStart(text);
    if (cut === text.length && text.endsWith('\r')) cut -= 1;
    this.heldBack = text.slice(cut);
    text = normaliseLineEndings(stripAnsi(text.slice(0, cut)));
    this.append(text);
    if (this.receivedBytes > this.options.maxOutputBytes) {
      const what = this.reader?.what ?? 'the session';
      this.fail(
        'output_too_large',
        `${this.device}: output of ${what} exceeded ${this.options.maxOutputBytes} bytes; ` +
          'the session was closed (raise maxOutputBytes if the output is expected)',
      );
      return;
    }
    this.check();
  }

  private append(text: string): void {
    if (!text.includes('\b')) {
      this.buffer += text;
      return;
    }
    const lineStart = this.buffer.lastIndexOf('\n') + 1;
    this.buffer =
      this.buffer.slice(0, lineStart) + applyBackspaces(this.buffer.slice(lineStart) + text);
  }

  private check(): void {
    const reader = this.reader;
    if (reader === undefined) return;
    const fromIndex = reader.fromEcho ? this.buffer.indexOf('\n') + 1 : 0;
    if (reader.fromEcho && fromIndex === 0) return;
    const match = matchAtEnd(this.buffer, reader.pattern, fromIndex);
    if (match !== undefined) {
      this.reader = undefined;
      reader.resolve(match);
      return;
    }
    this.answerPager(fromIndex);
  }

  private answerPager(fromIndex: number): void {
    const pager = this.options.pager;
    if (pager === undefined) return;
    const match = matchAtEnd(this.buffer, pager.pattern, fromIndex);
    if (match === undefined) return;
    this.pagesAnswered += 1;
    if (this.pagesAnswered > this.options.maxPages) {
      this.fail(
        'output_too_large',
        `${this.device}: ${this.reader?.what ?? 'output'} was still paging after ` +
          `${this.options.maxPages} pages; the session was closed (disable paging first)`,
      );
      return;
    }
    this.buffer = this.buffer.slice(0, match.start);
    this.write(pager.response);
  }

  private lost(reason: string): void {
    if (this.failure !== undefined) {
      this.isClosed = true;
      return;
    }
    const waiting = this.reader === undefined ? '' : ` while waiting for ${this.reader.what}`;
    this.fail('connection_lost', `${this.device}: connection lost${waiting}: ${reason}`);
  }

  /** Fails the session: the waiting command and every later one get the error; it closes. */
  private fail(code: 'timeout' | 'output_too_large' | 'connection_lost', message: string): void {
    if (this.failure !== undefined) return;
    this.stop(code, message, true);
    void this.close();
  }

  private stop(
    code: 'timeout' | 'output_too_large' | 'connection_lost',
    message: string,
    unexpected: boolean,
  ): void {
    const details = this.reader?.fromEcho ? { line: this.reader.what.slice(1, -1) } : {};
    const error = new DriverError(code, message, { device: this.device, ...details });
    this.failure = error;
    this.buffer = '';
    this.heldBack = '';
    if (unexpected) this.options.logger?.warn({ device: this.device, code }, message);
    const reader = this.reader;
    this.reader = undefined;
    reader?.reject(error);
  }
}

/** Drops the echoed command line, if the first line is that echo. */
function removeEcho(text: string, command: string): string {
  const newline = text.indexOf('\n');
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  if (command.trim() === '' || firstLine.trimEnd().endsWith(command.trim())) {
    return newline === -1 ? '' : text.slice(newline + 1);
  }
  return text;
}
