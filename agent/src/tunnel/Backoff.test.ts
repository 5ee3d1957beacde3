import { describe, expect, it } from 'vitest';
import { Backoff } from './Backoff.ts';

const almostOne = 1 - 1e-9;

describe('Backoff', () => {
  it('doubles the ceiling from 1 s and stops at the 60 s cap', () => {
    const backoff = new Backoff({
      baseMs: 1000,
      factor: 2,
      capMs: 60_000,
      random: () => almostOne,
    });
    const delays = Array.from({ length: 9 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
  });

  it('draws each delay uniformly from zero to the ceiling (full jitter)', () => {
    const low = new Backoff({ baseMs: 1000, factor: 2, capMs: 60_000, random: () => 0 });
    expect([low.nextDelayMs(), low.nextDelayMs(), low.nextDelayMs()]).toEqual([0, 0, 0]);

    const half = new Backoff({ baseMs: 1000, factor: 2, capMs: 60_000, random: () => 0.5 });
    expect([half.nextDelayMs(), half.nextDelayMs(), half.nextDelayMs()]).toEqual([500, 1000, 2000]);

    const real = new Backoff({ baseMs: 1000, factor: 2, capMs: 60_000, random: Math.random });
    for (let attempt = 0; attempt < 200; attempt++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** attempt);
      const delay = real.nextDelayMs();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
  });

  it('starts again from the base after reset', () => {
    const backoff = new Backoff({
      baseMs: 1000,
      factor: 2,
      capMs: 60_000,
      random: () => almostOne,
    });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(999);
  });

  it('takes a higher cap for one attempt (refused identities wait up to 5 min)', () => {
    const backoff = new Backoff({
      baseMs: 1000,
      factor: 2,
      capMs: 60_000,
      random: () => almostOne,
    });
    const delays = Array.from({ length: 11 }, () => backoff.nextDelayMs(300_000));
    expect(delays.slice(-3)).toEqual([255_999, 299_999, 299_999]);
  });
});
