/** What `| include x` and friends leave of a command's output. */
export type PipeResult =
  | { kind: 'ok'; output: string; pageable: boolean }
  | { kind: 'error'; message: string };

/** Longest pattern accepted after a pipe; keeps a hostile regex from growing without bound. */
const maxPatternChars = 200;

/**
 * The output filters IOS, NX-OS and EOS share: `include`, `exclude`, `begin`, `section`, and
 * EOS/NX-OS `no-more`. Patterns are regular expressions, as on the devices.
 */
export function applyPipe(output: string, pipe: string): PipeResult {
  const [filter = '', ...rest] = pipe.trim().split(/\s+/);
  const argument = rest.join(' ');
  if ('no-more'.startsWith(filter) && filter.length >= 2)
    return { kind: 'ok', output, pageable: false };
  if (argument === '' || argument.length > maxPatternChars) {
    return { kind: 'error', message: '% Incomplete command.' };
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(argument);
  } catch {
    return { kind: 'error', message: `% Invalid regular expression: ${argument}` };
  }
  const lines = output.replace(/\n$/, '').split('\n');
  const kept = filterLines(lines, filter, pattern);
  if (kept === undefined) return { kind: 'error', message: `% Invalid pipe: ${filter}` };
  return { kind: 'ok', output: kept.length === 0 ? '' : `${kept.join('\n')}\n`, pageable: true };
}

function filterLines(lines: string[], filter: string, pattern: RegExp): string[] | undefined {
  const is = (name: string) => filter.length > 0 && name.startsWith(filter);
  if (is('include')) return lines.filter((line) => pattern.test(line));
  if (is('exclude')) return lines.filter((line) => !pattern.test(line));
  if (is('begin')) {
    const start = lines.findIndex((line) => pattern.test(line));
    return start === -1 ? [] : lines.slice(start);
  }
  if (is('section')) {
    const kept: string[] = [];
    let inSection = false;
    for (const line of lines) {
      if (!line.startsWith(' ')) inSection = pattern.test(line);
      if (inSection) kept.push(line);
    }
    return kept;
  }
  return undefined;
}
