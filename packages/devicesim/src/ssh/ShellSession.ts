import type { Logger } from '@plumbline/log';
import type { CliReply, DeviceCli, PagerSettings } from '../DeviceCli.ts';
import type { DeviceFaults } from '../DeviceFaults.ts';
import type { ChannelWriter } from './ChannelWriter.ts';
import { InputQueue } from './InputQueue.ts';
import { LineEditor, type LineEvent } from './LineEditor.ts';
import {
  addAnsiNoise,
  eraseBack,
  floodBlocks,
  noisyPrompt,
  replyText,
  toCrlf,
} from './terminalText.ts';

export interface ShellSessionOptions {
  cli: DeviceCli;
  writer: ChannelWriter;
  faults: DeviceFaults;
  /** Drops the TCP connection without a goodbye, for the disconnect fault. */
  dropConnection: () => void;
  /** Ends the session politely after `exit` and the like. */
  endSession: () => void;
  logger?: Logger;
}

/**
 * One interactive shell: the device's line discipline (echo and editing), its pager, and the
 * transport faults, around a vendor `DeviceCli` that only ever sees whole lines.
 */
export class ShellSession {
  private readonly input = new InputQueue();
  private readonly editor = new LineEditor();
  /** An event read ahead while gathering echoes, handed out next. */
  private pendingEvent: LineEvent | undefined;

  constructor(private readonly options: ShellSessionOptions) {}

  /** Bytes from the client. */
  receive(data: string): void {
    this.input.push(data);
  }

  /** The channel closed: stop reading and let the engine release locks and candidates. */
  end(): void {
    this.input.end();
  }

  async run(): Promise<void> {
    const { cli, writer } = this.options;
    try {
      await writer.write(this.noisy(toCrlf(cli.greeting())) + this.promptText());
      let echoed = '';
      for (;;) {
        const event = await this.nextEvent();
        if (event === undefined || !writer.isOpen) break;
        if (event.kind === 'echo') {
          // When the line's end has arrived too, the echo goes out with the answer, in one write.
          if (this.pendingEvent?.kind === 'line') echoed = event.text;
          else await writer.write(event.text);
        } else if (event.kind === 'line') {
          await this.enterLine(event.line, `${echoed}\r\n`);
          echoed = '';
        } else if (event.kind === 'interrupt') {
          await this.answer(cli.interrupt?.(), this.noisy('^C\r\n'));
        } else if (cli.endOfInput !== undefined) {
          await this.answer(cli.endOfInput(), '');
        }
      }
    } finally {
      cli.disconnect();
    }
  }

  /**
   * The next keystroke event. Echoes of input that has already arrived come as one event, so
   * a line sent in one piece is echoed in one packet, not one per character.
   */
  private async nextEvent(): Promise<LineEvent | undefined> {
    const ahead = this.pendingEvent;
    this.pendingEvent = undefined;
    if (ahead !== undefined) return ahead;

    let event: LineEvent | undefined;
    while (event === undefined) {
      const char = await this.input.next();
      if (char === undefined) return undefined;
      event = this.editor.feed(char);
    }
    if (event.kind !== 'echo') return event;

    let text = event.text;
    for (let char = this.input.takeNow(); char !== undefined; char = this.input.takeNow()) {
      const next = this.editor.feed(char);
      if (next?.kind === 'echo') text += next.text;
      else if (next !== undefined) {
        this.pendingEvent = next;
        break;
      }
    }
    return { kind: 'echo', text };
  }

  /** Runs an entered line; `prefix` (its echo and line break) is written first. */
  private async enterLine(line: string, prefix: string): Promise<void> {
    const { faults, writer } = this.options;
    if (faults.hangOn?.test(line)) {
      await writer.write(prefix);
      this.options.logger?.debug({ line }, 'hang fault: not answering');
      await writer.closed();
      return;
    }
    if (faults.flood?.on.test(line)) {
      await writer.write(prefix);
      await this.flood(faults.flood.bytes);
      await writer.write(this.promptText());
      return;
    }
    const reply = await this.options.cli.execute(line);
    if (faults.disconnectOn?.test(line)) {
      const text = replyText(reply.output);
      await writer.write(prefix + text.slice(0, Math.floor(text.length / 2)));
      this.options.logger?.debug({ line }, 'disconnect fault: dropping the connection');
      this.options.dropConnection();
      return;
    }
    await this.answer(reply, prefix);
  }

  /**
   * Writes `prefix`, the reply (paged when the session pages) and the next prompt. Unpaged,
   * that is one write, so one SSH packet for a short answer.
   */
  private async answer(reply: CliReply | undefined, prefix: string): Promise<void> {
    const { writer } = this.options;
    let text = prefix;
    if (reply !== undefined) {
      const pager = this.options.cli.pager();
      if (reply.pageable === true && pager !== undefined && pager.linesPerPage > 0) {
        await writer.write(prefix);
        await this.page(reply.output, pager);
        text = '';
      } else {
        text += this.noisy(replyText(reply.output));
      }
      if (reply.close === true) {
        await writer.write(text);
        this.options.endSession();
        return;
      }
    }
    await writer.write(text + this.promptText());
  }

  /**
   * Shows `output` a page at a time. Space shows the next page, return one more line, `q` or
   * Ctrl-C stops; any other key counts as space.
   */
  private async page(output: string, pager: PagerSettings): Promise<void> {
    const lines = output.replace(/\n$/, '').split('\n');
    let index = 0;
    let count = pager.linesPerPage;
    for (;;) {
      const shown: string[] = [];
      for (let i = 0; i < count; i += 1) {
        if (index >= lines.length) {
          if (this.options.faults.endlessPaging !== true) break;
          index = 0;
        }
        shown.push(lines[index] ?? '');
        index += 1;
      }
      // Each line keeps its own break, so an empty last line of a page is not lost.
      const page = this.noisy(shown.map((line) => `${line}\r\n`).join(''));
      if (index >= lines.length && this.options.faults.endlessPaging !== true) {
        await this.options.writer.write(page);
        return;
      }
      await this.options.writer.write(page + this.noisy(pager.prompt));
      const key = await this.input.next();
      await this.options.writer.write(eraseBack(pager.prompt.length));
      if (key === undefined || key === 'q' || key === 'Q' || key === '\x03') return;
      count = key === '\r' || key === '\n' ? 1 : pager.linesPerPage;
    }
  }

  private async flood(bytes: number): Promise<void> {
    for (const block of floodBlocks(bytes)) {
      if (!this.options.writer.isOpen) return;
      await this.options.writer.write(block);
    }
  }

  /** The prompt as written, with the ANSI-noise fault applied when it is on. */
  private promptText(): string {
    const prompt = toCrlf(this.options.cli.prompt());
    return this.options.faults.ansiNoise === true ? noisyPrompt(prompt) : prompt;
  }

  /** Device text with the ANSI-noise fault applied when it is on. */
  private noisy(text: string): string {
    return this.options.faults.ansiNoise === true && text !== '' ? addAnsiNoise(text) : text;
  }
}
