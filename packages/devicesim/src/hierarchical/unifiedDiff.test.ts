import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unifiedDiff.ts';

const labels = { before: 'a', after: 'b' };

describe('unifiedDiff', () => {
  it('is empty for equal inputs', () => {
    expect(unifiedDiff(['x', 'y'], ['x', 'y'], labels)).toBe('');
  });

  it('prints hunks with three lines of context and 1-based ranges', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const after = ['1', '2', '3', '4', '5', 'five-and-a-half', '6', '7', '8', '9', '10'];
    expect(unifiedDiff(before, after, labels)).toBe(
      '--- a\n+++ b\n@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+five-and-a-half\n 6\n 7\n 8\n',
    );
  });

  it('splits changes far apart into separate hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const after = before.map((line, i) => (i === 1 || i === 18 ? `${line}!` : line));
    const diff = unifiedDiff(before, after, labels);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('-l1\n+l1!\n');
    expect(diff).toContain('-l18\n+l18!\n');
  });
});
