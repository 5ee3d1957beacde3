import { DriverError } from './DriverError.ts';

/** Longest configuration line the drivers send; a longer one is a caller's mistake. */
const maxLineLength = 4096;

/**
 * Refuses lines that would break the command-line exchange before anything is sent: a
 * newline or other control byte would end a line early, send keys to a pager or end Junos
 * `load` input (Ctrl-D).
 */
export function checkConfigLines(device: string, lines: readonly string[]): void {
  for (const line of lines) {
    if (line.length > maxLineLength || hasControlCharacter(line)) {
      throw new DriverError(
        'command_rejected',
        `${device}: configuration line refused before sending: expected one printable line of at` +
          ` most ${maxLineLength} characters, found ${line.length} characters` +
          (line.length > maxLineLength ? '' : ' with a control character'),
        { device, line: line.slice(0, 200) },
      );
    }
  }
}

function hasControlCharacter(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
