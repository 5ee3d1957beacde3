/**
 * A small deterministic pseudo-random generator (mulberry32): the same seed gives the same
 * sequence on every run, so a chaos test that failed can be replayed exactly. Not for secrets.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  intBetween(min: number, max: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const intBetween = (min: number, max: number) => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`intBetween needs integers min <= max, got ${min} and ${max}`);
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  return { next, intBetween };
}
