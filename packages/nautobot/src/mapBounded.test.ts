import { describe, expect, it } from 'vitest';
import { mapBounded } from './mapBounded.ts';

describe('mapBounded', () => {
  it('keeps input order although later items finish first', async () => {
    const finishOrder: number[] = [];
    const gates = new Map<number, () => void>();
    const pending = mapBounded([0, 1, 2, 3], 4, async (item) => {
      await new Promise<void>((resolve) => gates.set(item, resolve));
      finishOrder.push(item);
      return item * 10;
    });
    await Promise.resolve();
    for (const item of [3, 2, 1, 0]) {
      gates.get(item)?.();
      await Promise.resolve();
    }

    expect(await pending).toEqual([0, 10, 20, 30]);
    expect(finishOrder).toEqual([3, 2, 1, 0]);
  });

  it('never runs more than `limit` at once', async () => {
    let running = 0;
    let peak = 0;
    await mapBounded([...Array(20).keys()], 3, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
    });

    expect(peak).toBe(3);
  });

  it('rejects with the first failure', async () => {
    const result = mapBounded([1, 2, 3], 2, async (item) => {
      if (item === 2) throw new Error('page 2 failed');
      return item;
    });

    await expect(result).rejects.toThrow('page 2 failed');
  });
});
