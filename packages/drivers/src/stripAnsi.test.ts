import { describe, expect, it } from 'vitest';
import {
  applyBackspaces,
  incompleteEscapeStart,
  normaliseLineEndings,
  stripAnsi,
} from './stripAnsi.ts';

describe('stripAnsi', () => {
  it('removes colour, erase-line, cursor, bracketed-paste and title sequences', () => {
    const noisy = '\x1b[?2004h\x1b[1;32mrouter\x1b[0m\x1b[K#\x1b7 \x1b8\x1b]0;title\x07\x1b(B';
    expect(stripAnsi(noisy)).toBe('router# ');
  });

  it('leaves text without escapes untouched', () => {
    expect(stripAnsi('interface Loopback0\n ip address 10.0.0.1 255.255.255.255')).toBe(
      'interface Loopback0\n ip address 10.0.0.1 255.255.255.255',
    );
  });
});

describe('incompleteEscapeStart', () => {
  it('points at an escape sequence cut off by the end of a chunk', () => {
    expect(incompleteEscapeStart('abc\x1b[1;3')).toBe(3);
    expect(incompleteEscapeStart('abc\x1b')).toBe(3);
  });

  it('is the length when the tail is complete', () => {
    expect(incompleteEscapeStart('abc\x1b[0m')).toBe(7);
    expect(incompleteEscapeStart('plain')).toBe(5);
  });
});

describe('line endings and backspaces', () => {
  it('turns \\r\\n, \\r\\r\\n, \\n\\r and lone \\r into \\n', () => {
    expect(normaliseLineEndings('a\r\nb\r\r\nc\n\rd\re')).toBe('a\nb\nc\nd\ne');
  });

  it('applies backspaces as a terminal shows them, never across a line break', () => {
    expect(applyBackspaces('hellp\b \bo')).toBe('hello');
    expect(applyBackspaces('line\n\b\b\b   \b\b\bnext')).toBe('line\nnext');
  });
});
