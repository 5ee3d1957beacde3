const searchDepthChars = 4096;
const globalCopies = new WeakMap<RegExp, RegExp>();

/**
 * Finds `pattern` ending at the end of `text` (only spaces or tabs may follow), starting at or
 * after `fromIndex`. Only the last 4 KiB are searched, so a long output costs no more than a
 * short one. The pattern always runs multi-line: `^` and `$` mean line start and end, and `^`
 * never matches in the middle of a line even when `fromIndex` is there.
 *
 * The text is tried without its trailing blanks (so `#$` matches `r1#  `) and then whole (so a
 * pattern that spells out its trailing space, like ` --More-- $`, still matches).
 */
export function matchAtEnd(
  text: string,
  pattern: RegExp,
  fromIndex = 0,
): { start: number; end: number } | undefined {
  const trimmed = trimmedLength(text);
  const found = lastMatchEndingAt(text.slice(0, trimmed), pattern, fromIndex);
  if (found !== undefined || trimmed === text.length) return found;
  return lastMatchEndingAt(text, pattern, fromIndex);
}

/** The last match of `pattern` in `text` that ends exactly at its end. */
function lastMatchEndingAt(
  text: string,
  pattern: RegExp,
  fromIndex: number,
): { start: number; end: number } | undefined {
  const regex = globalCopy(pattern);
  regex.lastIndex = searchStart(text, fromIndex);
  let found: { start: number; end: number } | undefined;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0] === '') {
      regex.lastIndex += 1;
      continue;
    }
    const end = match.index + match[0].length;
    if (end === text.length) found = { start: match.index, end };
  }
  return found;
}

/** The length of `text` without trailing spaces and tabs, counted from the end. */
function trimmedLength(text: string): number {
  let length = text.length;
  while (length > 0 && (text[length - 1] === ' ' || text[length - 1] === '\t')) length -= 1;
  return length;
}

/** Where the search begins: `fromIndex`, or the line start about 4 KiB before the end. */
function searchStart(text: string, fromIndex: number): number {
  const depthStart = text.length - searchDepthChars;
  if (depthStart <= fromIndex) return fromIndex;
  return Math.max(fromIndex, text.lastIndexOf('\n', depthStart - 1) + 1);
}

function globalCopy(pattern: RegExp): RegExp {
  let copy = globalCopies.get(pattern);
  if (copy === undefined) {
    const flags = new Set([...pattern.flags.replace(/[gy]/g, ''), 'g', 'm']);
    copy = new RegExp(pattern.source, [...flags].join(''));
    globalCopies.set(pattern, copy);
  }
  return copy;
}
