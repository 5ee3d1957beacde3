/**
 * CSI (`ESC [ ... final`, also the 8-bit `\x9b` form), OSC (`ESC ] ... BEL` or `ESC \`),
 * charset selection (`ESC ( B`) and two-byte escapes (`ESC 7`, `ESC 8`, `ESC M`, `ESC =`).
 */
const ansiPattern =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control codes is the point
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[@-Z\\-_78=>]/g;

/** Removes terminal escape sequences that devices mix into output. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') || text.includes('\x9b') ? text.replace(ansiPattern, '') : text;
}

/**
 * Where a trailing, possibly unfinished escape sequence starts, so that a reader can hold it
 * back until the next chunk completes it; `text.length` when the tail is complete.
 */
export function incompleteEscapeStart(text: string): number {
  const start = text.lastIndexOf('\x1b', text.length - 1);
  if (start === -1 || text.length - start > 64) return text.length;
  const tail = text.slice(start);
  ansiPattern.lastIndex = 0;
  const match = ansiPattern.exec(tail);
  ansiPattern.lastIndex = 0;
  return match !== null && match.index === 0 ? text.length : start;
}

/** `\r\n`, `\r\r\n` and `\n\r` become `\n`, and so does a lone `\r` (a line redraw). */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r+\n|\n\r|\r/g, '\n');
}

/**
 * Applies `\b` as a terminal shows it, for echoed backspaces and the pager-prompt erase
 * (`\b\b\b   \b\b\b`): each one removes the character before it, never past a line break.
 */
export function applyBackspaces(text: string): string {
  if (!text.includes('\b')) return text;
  let result = '';
  for (const char of text) {
    if (char === '\b') result = result.endsWith('\n') ? result : result.slice(0, -1);
    else result += char;
  }
  return result;
}
