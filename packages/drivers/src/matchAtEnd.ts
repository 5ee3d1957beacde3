const searchDepthChars = 4096;
const globalCopies = new WeakMap<RegExp, RegExp>();

/**
 * Finds `pattern` ending at the end of `text` (only spaces or tabs may follow), starting at or
 * after `fromIndex`. Only the last 4 KiB are searched, so a long output costs no more than a
 * short one. The pattern always runs multi-line: `^` and `$` mean line start and end.
 */
export function matchAtEnd(
  text: string,
  pattern: RegExp,
  fromIndex = 0,
): { start: number; end: number } | undefined {
  const trimmedLength = text.replace(/[ \t]+$/, '').length;
  let start = Math.max(fromIndex, text.length - searchDepthChars);
  if (start > fromIndex) start = Math.max(fromIndex, text.lastIndexOf('\n', start - 1) + 1);
  const tail = text.slice(start);
  const regex = globalCopy(pattern);
  regex.lastIndex = 0;
  let found: { start: number; end: number } | undefined;
  for (let match = regex.exec(tail); match !== null; match = regex.exec(tail)) {
    if (match[0] === '') {
      regex.lastIndex += 1;
      continue;
    }
    const end = start + match.index + match[0].length;
    if (end >= trimmedLength) found = { start: start + match.index, end };
  }
  return found;
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
