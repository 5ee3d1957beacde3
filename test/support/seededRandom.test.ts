import { describe, expect, it } from 'vitest';
import { seededRandom } from './seededRandom.ts';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => random.next());
    };

    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps intBetween inside both ends and reaches each of them', () => {
    const random = seededRandom(7);
    const seen = new Set(Array.from({ length: 500 }, () => random.intBetween(1, 5)));

    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a range whose ends are reversed', () => {
    expect(() => seededRandom(1).intBetween(5, 1)).toThrow(/min <= max, got 5 and 1/);
  });
});
