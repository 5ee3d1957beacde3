/** Device output uses `\n`; a terminal gets `\r\n`. */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Reply text as printed before the next prompt: CRLF, ending with a line break if non-empty. */
export function replyText(output: string): string {
  if (output === '') return '';
  return toCrlf(output.endsWith('\n') ? output : `${output}\n`);
}

/**
 * The escape codes real devices mix into output (colour, erase to end of line, bracketed
 * paste on, cursor save and restore), for the ANSI-noise fault.
 */
export function addAnsiNoise(text: string): string {
  return text
    .split('\r\n')
    .map((line) => (line === '' ? line : `\x1b[1;32m${line}\x1b[0m\x1b[K`))
    .join('\r\n');
}

export function noisyPrompt(prompt: string): string {
  return `\x1b[?2004h\x1b7${prompt}\x1b8\x1b[${prompt.length}C`;
}

/** Erases `count` characters before the cursor, as IOS does after `--More--`. */
export function eraseBack(count: number): string {
  return '\b'.repeat(count) + ' '.repeat(count) + '\b'.repeat(count);
}

/** `bytes` of numbered filler lines, generated a block at a time. */
export function* floodBlocks(bytes: number, blockBytes = 64 * 1024): Generator<string> {
  let sent = 0;
  let lineNumber = 0;
  while (sent < bytes) {
    let block = '';
    while (block.length < blockBytes && sent + block.length < bytes) {
      lineNumber += 1;
      block += `flood line ${String(lineNumber).padStart(9, '0')} ${'x'.repeat(50)}\r\n`;
    }
    const piece = block.slice(0, bytes - sent);
    sent += piece.length;
    yield piece;
  }
}
