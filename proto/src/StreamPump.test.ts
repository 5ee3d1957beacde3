import { describe, expect, it } from 'vitest';
import { socketPauseBytes, streamChunkBytes } from './limits.ts';
import { type PumpLink, StreamPump } from './StreamPump.ts';

class CountingLink implements PumpLink {
  readonly sent: number[] = [];
  closed = false;
  buffered = 0;
  private listeners: (() => void)[] = [];

  sendData(_streamId: number, bytes: Uint8Array): void {
    this.sent.push(bytes.byteLength);
  }

  bufferedBytes(): number {
    return this.buffered;
  }

  whenWritable(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((waiting) => waiting !== listener);
    };
  }

  drain(): void {
    this.buffered = 0;
    for (const listener of this.listeners.splice(0)) listener();
  }

  get total(): number {
    return this.sent.reduce((sum, bytes) => sum + bytes, 0);
  }
}

function source(totalBytes: number, pieceBytes = totalBytes): ReadableStream<Uint8Array> {
  let left = totalBytes;
  return new ReadableStream({
    pull(controller) {
      if (left === 0) return controller.close();
      const size = Math.min(pieceBytes, left);
      left -= size;
      controller.enqueue(new Uint8Array(size));
    },
  });
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StreamPump', () => {
  it('sends in pieces of at most streamChunkBytes and stops at the credit it has', async () => {
    const link = new CountingLink();
    const pump = new StreamPump(link, 1, source(3 * streamChunkBytes), {
      windowBytes: streamChunkBytes + 10,
    });

    const run = pump.run();
    await settle();
    expect(link.sent).toEqual([streamChunkBytes, 10]);

    pump.addCredit(10 * streamChunkBytes);

    expect(await run).toEqual({ state: 'done', sentBytes: 3 * streamChunkBytes });
    expect(link.sent.every((bytes) => bytes <= streamChunkBytes)).toBe(true);
    expect(link.total).toBe(3 * streamChunkBytes);
  });

  it('waits while the socket buffers more than socketPauseBytes', async () => {
    const link = new CountingLink();
    link.buffered = socketPauseBytes + 1;
    const run = new StreamPump(link, 1, source(100)).run();
    await settle();
    expect(link.total).toBe(0);

    link.drain();

    expect(await run).toEqual({ state: 'done', sentBytes: 100 });
  });

  it('stops waiting for credit when stopped, and cancels the source', async () => {
    const link = new CountingLink();
    let cancelledWith: unknown;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(streamChunkBytes)),
      cancel: (reason) => {
        cancelledWith = reason;
      },
    });
    const pump = new StreamPump(link, 1, body, { windowBytes: streamChunkBytes });
    const run = pump.run();
    await settle();

    pump.stop('receiver cancelled');

    expect(await run).toEqual({ state: 'stopped' });
    expect(cancelledWith).toBe('receiver cancelled');
    expect(link.total).toBe(streamChunkBytes);
  });
});
