import type { FrameLink } from './FrameLink.ts';
import { socketPauseBytes, streamChunkBytes, streamWindowBytes } from './limits.ts';

export type PumpLink = Pick<
  FrameLink<{ type: string }>,
  'sendData' | 'bufferedBytes' | 'whenWritable' | 'closed'
>;

export type PumpOutcome = { state: 'done'; sentBytes: number } | { state: 'stopped' };

/**
 * The sending end of one stream's body: reads `source` and sends it as stream data, at most
 * `streamChunkBytes` per message, only as far as the receiver's credit allows (it starts with
 * the window; `addCredit` adds what `stream.credit` frames grant), and waits while the socket
 * buffers more than `socketPauseBytes`. Holds at most one chunk of the source beyond what it sent.
 */
export class StreamPump {
  private readonly link: PumpLink;
  private readonly streamId: number;
  private readonly source: ReadableStream<Uint8Array>;
  private credit: number;
  private stopped = false;
  private wake: (() => void) | undefined;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private sent = 0;

  constructor(
    link: PumpLink,
    streamId: number,
    source: ReadableStream<Uint8Array>,
    options: { windowBytes?: number } = {},
  ) {
    this.link = link;
    this.streamId = streamId;
    this.source = source;
    this.credit = options.windowBytes ?? streamWindowBytes;
  }

  get sentBytes(): number {
    return this.sent;
  }

  addCredit(bytes: number): void {
    this.credit += bytes;
    this.wakeUp();
  }

  /**
   * Stops sending; the source is cancelled with `reason`. `run` resolves with `stopped`. The
   * owner calls it when the receiver cancels, the stream fails or the link closes.
   */
  stop(reason: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.wakeUp();
    const cancelled = this.reader ? this.reader.cancel(reason) : this.source.cancel(reason);
    cancelled.catch(() => {});
  }

  /**
   * Sends the whole source. Rejects when reading the source fails (the caller turns that into
   * `stream.error`); the caller sends `stream.end` after `done`.
   */
  async run(): Promise<PumpOutcome> {
    const reader = this.source.getReader();
    this.reader = reader;
    try {
      for (;;) {
        if (this.stopped) return { state: 'stopped' };
        const { done, value } = await reader.read();
        if (this.stopped) return { state: 'stopped' };
        if (done) return { state: 'done', sentBytes: this.sent };
        if (!(await this.send(value))) return { state: 'stopped' };
      }
    } finally {
      this.reader = undefined;
      reader.releaseLock();
    }
  }

  private async send(bytes: Uint8Array): Promise<boolean> {
    let offset = 0;
    while (offset < bytes.byteLength) {
      await this.until(() => this.credit > 0);
      await this.untilWritable();
      if (this.stopped || this.link.closed) return false;
      const size = Math.min(bytes.byteLength - offset, this.credit, streamChunkBytes);
      this.link.sendData(this.streamId, bytes.subarray(offset, offset + size));
      this.credit -= size;
      this.sent += size;
      offset += size;
    }
    return true;
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready() && !this.stopped && !this.link.closed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Waits while the socket holds more than `socketPauseBytes` (resumes below the lower mark). */
  private async untilWritable(): Promise<void> {
    while (!this.stopped && !this.link.closed && this.link.bufferedBytes() > socketPauseBytes) {
      await new Promise<void>((resolve) => {
        const cancelWait = this.link.whenWritable(() => {
          this.wake = undefined;
          resolve();
        });
        this.wake = () => {
          cancelWait();
          resolve();
        };
      });
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
