import { describe, expect, it } from 'vitest';
import { matchAtEnd } from './matchAtEnd.ts';

const prompt = /^[\w.-]+(\(config[\w-]*\))?# ?$/;

describe('matchAtEnd', () => {
  it('finds the prompt that ends the text, allowing trailing spaces', () => {
    const text = 'hostname r1\nend\nr1(config-if)#   ';
    expect(matchAtEnd(text, prompt)).toEqual({ start: 16, end: 30 });
  });

  it('matches a pattern that spells out its own trailing space', () => {
    expect(matchAtEnd('line 4\n --More-- ', / --More-- $/)).toEqual({ start: 7, end: 17 });
  });

  it('ignores a prompt-like line that is not at the end', () => {
    expect(matchAtEnd('r1#\nmore output\n', prompt)).toBeUndefined();
  });

  it('does not match before fromIndex (the echoed command)', () => {
    expect(matchAtEnd('r1#', prompt, 1)).toBeUndefined();
    expect(matchAtEnd('echo\nr1#', prompt, 5)).toEqual({ start: 5, end: 8 });
  });

  it('searches only the tail of a long text', () => {
    const text = `${'x'.repeat(1_000_000)}\nr1# `;
    expect(matchAtEnd(text, prompt)?.start).toBe(1_000_001);
  });
});
