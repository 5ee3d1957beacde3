import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelWriter } from './ChannelWriter.ts';

/** A channel that records writes and says "full" while `full` is set. */
class FakeChannel extends EventEmitter {
  chunks: string[] = [];
  full = false;

  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }

  get text(): string {
    return this.chunks.join('');
  }
}

function writerOver(channel: FakeChannel, faults = {}) {
  return new ChannelWriter(channel as unknown as Writable, faults);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ChannelWriter', () => {
  it('under slow output writes a tenth of the rate every 100 ms', async () => {
    const channel = new FakeChannel();
    const writer = writerOver(channel, { slowOutputBytesPerSecond: 1000 });
    let done = false;
    void writer.write('x'.repeat(1000)).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(channel.text).toHaveLength(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(channel.text).toHaveLength(200);
    await vi.advanceTimersByTimeAsync(750);
    expect(channel.text).toHaveLength(900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(channel.text).toHaveLength(1000);
    expect(done).toBe(true);
    expect(channel.chunks.every((chunk) => chunk.length === 100)).toBe(true);
  });

  it('writes at once without the fault, in chunks of at most 16 KiB', async () => {
    const channel = new FakeChannel();
    await writerOver(channel).write('y'.repeat(40_000));
    expect(channel.chunks.map((chunk) => chunk.length)).toEqual([16_384, 16_384, 7232]);
  });

  it('waits for drain when the channel is full, and gives up when it closes', async () => {
    const channel = new FakeChannel();
    channel.full = true;
    const writer = writerOver(channel);
    let done = false;
    void writer.write('z'.repeat(40_000)).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(channel.chunks).toHaveLength(1);
    channel.emit('drain');
    await vi.advanceTimersByTimeAsync(0);
    expect(channel.chunks).toHaveLength(2);
    channel.emit('close');
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    expect(writer.isOpen).toBe(false);
    expect(channel.chunks).toHaveLength(2);
  });
});
