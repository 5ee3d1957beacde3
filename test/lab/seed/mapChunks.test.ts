import { describe, expect, it } from 'vitest';
import { mapChunks } from './mapChunks.js';

const items = Array.from({ length: 10 }, (_, index) => index);

describe('mapChunks', () => {
  it('returns results in the order of the items, whatever order chunks finish in', async () => {
    const result = await mapChunks(items, { chunkSize: 3, concurrency: 4 }, async (chunk) => {
      await new Promise((resolve) => setImmediate(resolve, 10 - (chunk[0] ?? 0)));
      return chunk.map((n) => n * 2);
    });
    expect(result).toEqual(items.map((n) => n * 2));
  });

  it('splits a small list evenly over the concurrency slots', async () => {
    const sizes: number[] = [];
    await mapChunks(items, { chunkSize: 50, concurrency: 4 }, async (chunk) => {
      sizes.push(chunk.length);
      return chunk;
    });
    expect(sizes).toEqual([3, 3, 3, 1]);
  });

  it('never has more than `concurrency` chunks in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapChunks(items, { chunkSize: 1, concurrency: 3 }, async (chunk) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return chunk;
    });
    expect(peak).toBe(3);
  });

  it('starts no new chunk after one fails, and rejects with that failure', async () => {
    const started: number[] = [];
    const run = mapChunks(items, { chunkSize: 2, concurrency: 1 }, async (chunk) => {
      started.push(chunk[0] ?? -1);
      if (chunk[0] === 2) throw new Error('chunk 2 rejected');
      return chunk;
    });
    await expect(run).rejects.toThrow('chunk 2 rejected');
    expect(started).toEqual([0, 2]);
  });

  it('does nothing for no items and refuses a zero chunk size', async () => {
    await expect(mapChunks([], { chunkSize: 5, concurrency: 2 }, async (c) => c)).resolves.toEqual(
      [],
    );
    await expect(
      mapChunks(items, { chunkSize: 0, concurrency: 2 }, async (c) => c),
    ).rejects.toThrow(RangeError);
  });
});
