import { streamChunkBytes, streamWindowBytes } from './limits.ts';

export interface StreamInboxOptions {
  /** Send `stream.credit` for this many bytes: the reader has taken them. */
  grantCredit(bytes: number): void;
  /** The reader cancelled the body: tell the sender to stop (`stream.cancel`). */
  cancelled(reason: unknown): void;
  /** Credit the sender starts with; defaults to `streamWindowBytes`. */
  windowBytes?: number;
}

/**
 * The receiving end of one stream's body: bytes pushed from the socket come out of `body`, a
 * ReadableStream that hands them over only when the reader asks (high-water mark 0). Credit is
 * granted back as the reader takes bytes, never as they arrive, so a slow reader holds at most
 * the window in memory and the sender stops instead of piling bytes up anywhere.
 */
export class StreamInbox {
  readonly body: ReadableStream<Uint8Array>;
  private readonly options: StreamInboxOptions;
  private readonly windowBytes: number;
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private takenNotGranted = 0;
  /** Bytes the sender may still send: what we granted minus what arrived. */
  private senderCredit: number;
  private state: 'open' | 'ended' | 'failed' | 'cancelled' = 'open';
  private failure: unknown;
  private wake: (() => void) | undefined;
  private receivedTotal = 0;

  constructor(options: StreamInboxOptions) {
    this.options = options;
    this.windowBytes = options.windowBytes ?? streamWindowBytes;
    this.senderCredit = this.windowBytes;
    this.body = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => this.pull(controller),
        cancel: (reason) => this.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }

  /** Bytes that arrived and wait for the reader; never more than the window. */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  get receivedBytes(): number {
    return this.receivedTotal;
  }

  get finished(): boolean {
    return this.state !== 'open';
  }

  /**
   * Takes bytes from the sender. False when they exceed the credit the sender had: the peer
   * broke flow control, and the caller should fail the stream.
   */
  push(bytes: Uint8Array): boolean {
    if (this.state !== 'open') return true;
    if (bytes.byteLength > this.senderCredit) return false;
    this.senderCredit -= bytes.byteLength;
    this.receivedTotal += bytes.byteLength;
    if (bytes.byteLength === 0) return true;
    this.queue.push(bytes);
    this.queuedBytes += bytes.byteLength;
    this.wakeReader();
    return true;
  }

  /** The sender finished; the reader sees the end after the bytes still queued. */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    this.wakeReader();
  }

  /** The body fails with `error` at the reader's next read; queued bytes are dropped. */
  fail(error: unknown): void {
    if (this.state !== 'open' && this.state !== 'ended') return;
    this.state = 'failed';
    this.failure = error;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.wakeReader();
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (this.queue.length === 0 && this.state === 'open') {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.state === 'failed') {
      controller.error(this.failure);
      return;
    }
    const next = this.queue.shift();
    if (next) {
      this.queuedBytes -= next.byteLength;
      controller.enqueue(next);
      this.credit(next.byteLength);
      return;
    }
    if (this.state === 'ended') controller.close();
  }

  /**
   * Grants in steps of a chunk, so a reader taking small pieces does not cost a frame each.
   * A step never exceeds the window, so a sender waiting on an empty queue always gets credit.
   */
  private credit(takenBytes: number): void {
    this.takenNotGranted += takenBytes;
    const step = Math.min(streamChunkBytes, this.windowBytes);
    if (this.state !== 'open' || this.takenNotGranted < step) return;
    this.senderCredit += this.takenNotGranted;
    this.options.grantCredit(this.takenNotGranted);
    this.takenNotGranted = 0;
  }

  private cancel(reason: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'cancelled';
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.options.cancelled(reason);
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
