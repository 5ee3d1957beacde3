/** What follows `|` on a Junos command line. */
export interface JunosPipes {
  noMore: boolean;
  displaySet: boolean;
  compare: boolean;
  /** `compare rollback N`; absent compares with the running configuration. */
  compareRollback?: number;
  count: boolean;
  match?: RegExp;
  except?: RegExp;
}

export type PipeParse = { command: string; pipes: JunosPipes } | { error: string };

/** Splits `show configuration | display set | no-more` into the command and its pipes. */
export function parseJunosPipes(line: string): PipeParse {
  const [command = '', ...segments] = splitOutsideQuotes(line);
  const pipes: JunosPipes = { noMore: false, displaySet: false, compare: false, count: false };
  for (const raw of segments) {
    const segment = raw.trim().replace(/\s+/g, ' ');
    const pattern = segment.replace(/^(match|except) /, '').replace(/^"(.*)"$/, '$1');
    if (segment === 'no-more') pipes.noMore = true;
    else if (segment === 'display set') pipes.displaySet = true;
    else if (segment === 'compare') pipes.compare = true;
    else if (/^compare rollback \d{1,2}$/.test(segment)) {
      pipes.compare = true;
      pipes.compareRollback = Number(segment.split(' ')[2]);
    } else if (segment === 'count') pipes.count = true;
    else if (segment.startsWith('match ')) pipes.match = safeRegExp(pattern);
    else if (segment.startsWith('except ')) pipes.except = safeRegExp(pattern);
    else return { error: 'syntax error, expecting <command>.' };
  }
  return { command: command.trim(), pipes };
}

/** Applies the filtering pipes to command output. */
export function filterJunosOutput(output: string, pipes: JunosPipes): string {
  let lines = output === '' ? [] : output.split('\n');
  const { match, except } = pipes;
  if (match !== undefined) lines = lines.filter((line) => match.test(line));
  if (except !== undefined) lines = lines.filter((line) => !except.test(line));
  if (pipes.count) return `Count: ${lines.length} lines`;
  return lines.join('\n');
}

function splitOutsideQuotes(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    if (char === '|' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** A user's pattern, bounded in length; taken literally when it is not a valid expression. */
function safeRegExp(pattern: string): RegExp {
  const bounded = pattern.slice(0, 200);
  try {
    return new RegExp(bounded);
  } catch {
    return new RegExp(bounded.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}
