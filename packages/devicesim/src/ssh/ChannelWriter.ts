import type { Writable } from 'node:stream';
import type { DeviceFaults } from '../DeviceFaults.ts';

const chunkChars = 16 * 1024;
const slowTickMs = 100;

/**
 * Writes to an SSH channel with backpressure (waits for `drain`, so a client that stops
 * reading stops the server too) and with the slow-output fault applied. Reports whether the
 * channel is still open; writing to a closed channel is a no-op.
 */
export class ChannelWriter {
  private open = true;
  private readonly closeWaiters = new Set<() => void>();

  constructor(
    private readonly channel: Writable,
    private readonly faults: DeviceFaults,
  ) {
    channel.once('close', () => this.markClosed());
    channel.once('finish', () => this.markClosed());
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Resolves when the text is handed to the channel or the channel has closed. */
  async write(text: string): Promise<void> {
    for (let offset = 0; offset < text.length && this.open; ) {
      const rate = this.faults.slowOutputBytesPerSecond;
      const size = rate === undefined ? chunkChars : Math.max(1, Math.floor(rate / 10));
      await this.writeChunk(text.slice(offset, offset + size));
      offset += size;
      if (rate !== undefined) await this.pause(slowTickMs);
    }
  }

  /** Resolves when the channel closes (the client left or the server ended it). */
  closed(): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.add(resolve));
  }

  private writeChunk(chunk: string): Promise<void> {
    if (!this.open) return Promise.resolve();
    if (this.channel.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.channel.off('drain', done);
        this.closeWaiters.delete(done);
        resolve();
      };
      this.channel.on('drain', done);
      this.closeWaiters.add(done);
    });
  }

  private pause(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.closeWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      this.closeWaiters.add(done);
    });
  }

  private markClosed(): void {
    this.open = false;
    for (const waiter of this.closeWaiters) waiter();
    this.closeWaiters.clear();
  }
}
