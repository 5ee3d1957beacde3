import { describe, expect, it } from 'vitest';
import { backoffCapMs, backoffDelayMs } from './backoffDelayMs.ts';
import { retryAfterMs } from './retryAfterMs.ts';

describe('backoffDelayMs', () => {
  it('draws from 0 up to 500 ms doubled per attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, () => 0.999))).toEqual([
      499, 999, 1998, 3996,
    ]);
    expect(backoffDelayMs(3, () => 0)).toBe(0);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelayMs(40, () => 0.999)).toBeLessThan(backoffCapMs);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');

  it('reads delay-seconds and HTTP-dates', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Fri, 04 Dec 2026 12:00:10 GMT', now)).toBe(10_000);
  });

  it('treats a past date as no wait and nonsense as absent', () => {
    expect(retryAfterMs('Fri, 04 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
