/** What one keystroke means to the shell. */
export type LineEvent =
  | { kind: 'echo'; text: string }
  | { kind: 'line'; line: string }
  | { kind: 'interrupt' }
  | { kind: 'endOfInput' };

const maxLineChars = 4096;

/**
 * Turns terminal keystrokes into echo and whole lines, as a device's line discipline does:
 * printable characters echo, backspace erases, Ctrl-U clears, `\r`, `\n` and `\r\n` each end
 * a line, Ctrl-C and Ctrl-D are reported, and cursor-key escape sequences are swallowed.
 * Lines are capped at 4096 characters; further characters are dropped without echo.
 */
export class LineEditor {
  private line = '';
  private lastWasCr = false;
  private inEscape: 'none' | 'esc' | 'csi' = 'none';

  /** Feeds one character (a UTF-16 code unit is fine: devices are ASCII). */
  feed(char: string): LineEvent | undefined {
    if (this.inEscape !== 'none') return this.feedEscape(char);
    const afterCr = this.lastWasCr;
    this.lastWasCr = char === '\r';
    switch (char) {
      case '\r':
        return this.submit();
      case '\n':
        return afterCr ? undefined : this.submit();
      case '\x7f':
      case '\b':
        return this.erase();
      case '\x15':
        return this.clear();
      case '\x03':
        this.line = '';
        return { kind: 'interrupt' };
      case '\x04':
        return this.line === '' ? { kind: 'endOfInput' } : undefined;
      case '\x1b':
        this.inEscape = 'esc';
        return undefined;
      case '\t':
        return this.insert(' ');
      default:
        return char < ' ' ? undefined : this.insert(char);
    }
  }

  private submit(): LineEvent {
    const line = this.line;
    this.line = '';
    return { kind: 'line', line };
  }

  private insert(char: string): LineEvent | undefined {
    if (this.line.length >= maxLineChars) return undefined;
    this.line += char;
    return { kind: 'echo', text: char };
  }

  private erase(): LineEvent | undefined {
    if (this.line === '') return undefined;
    this.line = this.line.slice(0, -1);
    return { kind: 'echo', text: '\b \b' };
  }

  private clear(): LineEvent | undefined {
    if (this.line === '') return undefined;
    const count = this.line.length;
    this.line = '';
    return { kind: 'echo', text: '\b'.repeat(count) + ' '.repeat(count) + '\b'.repeat(count) };
  }

  /** ESC [ parameters final-byte; a lone ESC followed by anything else ends the sequence. */
  private feedEscape(char: string): undefined {
    if (this.inEscape === 'esc') {
      this.inEscape = char === '[' || char === 'O' ? 'csi' : 'none';
      return undefined;
    }
    if (char >= '@' && char <= '~') this.inEscape = 'none';
    return undefined;
  }
}
