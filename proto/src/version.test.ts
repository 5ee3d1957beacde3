import { describe, expect, it } from 'vitest';
import { closeReasonOf, closeReasons } from './closeReasons.ts';
import { negotiateVersion } from './version.ts';

describe('negotiateVersion', () => {
  it('picks the newest version both sides speak', () => {
    expect(negotiateVersion([1, 2, 3], [2, 3, 4])).toBe(3);
  });

  it('finds none when the lists share nothing', () => {
    expect(negotiateVersion([1], [2])).toBeUndefined();
  });
});

describe('close reasons', () => {
  it('gives every reason its own code, in the application range', () => {
    const codes = Object.values(closeReasons);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code >= 4000 && code <= 4999).toBe(true);
    expect(closeReasonOf(closeReasons.replayed)).toBe('replayed');
    expect(closeReasonOf(1000)).toBeUndefined();
  });
});
