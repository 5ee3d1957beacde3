/**
 * A data-driven command grammar: each mode lists its commands as pattern strings, and input is
 * matched word by word the way IOS-style parsers do (unique keyword prefixes, typed arguments),
 * so that an unknown command fails at the word a real device would mark with `^`.
 *
 * Pattern syntax, e.g. `neighbor <ip> remote-as | <asn> => mode`:
 * - words are keywords; `<type>` is an argument (`word`, `int`, `ipv4`, `ipv6`, `ip`,
 *   `prefix`, `asn`, `time`, `line` = the rest of the line);
 * - `|` ends the key: a new line with the same key replaces the old one (no `|`: the whole line);
 * - `=> mode` enters a submode; `@action` names what an exec command does;
 * - a leading `~` marks the default form, which is not stored and removes the keyed line.
 */
export interface CommandSpec {
  readonly tokens: readonly Token[];
  readonly keyLength: number;
  readonly enters: string | undefined;
  readonly action: string | undefined;
  readonly isDefault: boolean;
}

export type Token = { kind: 'keyword'; word: string } | { kind: 'arg'; type: ArgType };

export type ArgType = 'word' | 'int' | 'ipv4' | 'ipv6' | 'ip' | 'prefix' | 'asn' | 'time' | 'line';

export type MatchResult =
  | { kind: 'ok'; spec: CommandSpec; words: string[] }
  /** `wordIndex`: the first word no command accepts; `column`: where it starts in the line. */
  | { kind: 'invalid'; wordIndex: number; column: number }
  | { kind: 'incomplete' }
  | { kind: 'ambiguous'; word: string; column: number };

const argTests: Record<ArgType, (word: string) => boolean> = {
  word: () => true,
  int: (word) => /^\d{1,10}$/.test(word),
  ipv4: isIpv4,
  ipv6: isIpv6,
  ip: (word) => isIpv4(word) || isIpv6(word),
  prefix: (word) => {
    const [address = '', length = '', extra] = word.split('/');
    if (extra !== undefined || !/^\d{1,3}$/.test(length)) return false;
    return (isIpv4(address) && Number(length) <= 32) || (isIpv6(address) && Number(length) <= 128);
  },
  asn: (word) => /^\d{1,10}(\.\d{1,5})?$/.test(word),
  time: (word) => /^\d{1,2}:\d{2}:\d{2}$/.test(word),
  line: () => true,
};

function isIpv4(word: string): boolean {
  const parts = word.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIpv6(word: string): boolean {
  return /^[0-9a-fA-F:]+$/.test(word) && word.includes(':') && word.length <= 39;
}

export function compileSpec(pattern: string): CommandSpec {
  let rest = pattern.trim();
  const isDefault = rest.startsWith('~');
  if (isDefault) rest = rest.slice(1);
  let enters: string | undefined;
  let action: string | undefined;
  const arrow = rest.indexOf('=>');
  if (arrow !== -1) {
    enters = rest.slice(arrow + 2).trim();
    rest = rest.slice(0, arrow);
  }
  const at = rest.indexOf('@');
  if (at !== -1) {
    action = rest.slice(at + 1).trim();
    rest = rest.slice(0, at);
  }
  const tokens: Token[] = [];
  let keyLength: number | undefined;
  for (const word of rest.split(/\s+/).filter(Boolean)) {
    if (word === '|') {
      keyLength = tokens.length;
      continue;
    }
    const arg = /^<(\w+)>$/.exec(word)?.[1];
    if (arg === undefined) tokens.push({ kind: 'keyword', word });
    else if (arg in argTests) tokens.push({ kind: 'arg', type: arg as ArgType });
    else throw new Error(`unknown argument type <${arg}> in pattern "${pattern}"`);
  }
  return { tokens, keyLength: keyLength ?? tokens.length, enters, action, isDefault };
}

/** Words of a line with their columns, so that errors can point at a word. */
export function splitWords(line: string): { word: string; column: number }[] {
  const words: { word: string; column: number }[] = [];
  for (const match of line.matchAll(/\S+/g)) words.push({ word: match[0], column: match.index });
  return words;
}

/**
 * Matches `line` against `specs`. With `prefixOnly` (for `no ...`), a line that is the start
 * of a command is enough. Keywords are canonicalised to their full spelling in `words`.
 */
export function matchCommand(
  specs: readonly CommandSpec[],
  line: string,
  prefixOnly = false,
): MatchResult {
  const words = splitWords(line);
  let alive = specs.map((spec) => ({ spec, words: [] as string[], done: false }));
  for (const [index, { word, column }] of words.entries()) {
    const open = alive.filter((c) => c.done || index < c.spec.tokens.length);
    const finished = open.filter((c) => c.done);
    const candidates = open.filter((c) => !c.done);
    const lower = word.toLowerCase();
    const keywordHits = candidates.filter((c) => {
      const token = c.spec.tokens[index];
      return token?.kind === 'keyword' && token.word.startsWith(lower);
    });
    const exact = keywordHits.filter((c) => keywordAt(c.spec, index) === lower);
    const distinct = new Set(keywordHits.map((c) => keywordAt(c.spec, index)));
    let next: typeof alive;
    if (exact.length > 0) next = exact;
    else if (distinct.size === 1) next = keywordHits;
    else {
      const argHits = candidates.filter((c) => {
        const token = c.spec.tokens[index];
        return token?.kind === 'arg' && argTests[token.type](word);
      });
      if (argHits.length > 0) next = argHits;
      else if (distinct.size > 1) return { kind: 'ambiguous', word, column };
      else next = [];
    }
    next = next.map((c) => {
      const token = c.spec.tokens[index];
      if (token?.kind === 'keyword') return { ...c, words: [...c.words, token.word] };
      if (token?.kind === 'arg' && token.type === 'line') {
        return { ...c, words: [...c.words, line.slice(column).trim()], done: true };
      }
      return { ...c, words: [...c.words, word] };
    });
    if (next.length === 0 && finished.length === 0) {
      return { kind: 'invalid', wordIndex: index, column };
    }
    alive = [...finished, ...next];
  }
  const complete = alive.find((c) => c.done || c.words.length === c.spec.tokens.length);
  if (complete !== undefined) return { kind: 'ok', spec: complete.spec, words: complete.words };
  const partial = alive[0];
  if (prefixOnly && partial !== undefined && words.length > 0) {
    return { kind: 'ok', spec: partial.spec, words: partial.words };
  }
  return { kind: 'incomplete' };
}

function keywordAt(spec: CommandSpec, index: number): string | undefined {
  const token = spec.tokens[index];
  return token?.kind === 'keyword' ? token.word : undefined;
}

/** The words that identify a stored line: its key, without a leading `no`. */
export function keyOf(spec: CommandSpec, words: readonly string[]): string {
  const start = words[0] === 'no' && spec.tokens[0]?.kind === 'keyword' ? 1 : 0;
  return words.slice(start, Math.max(spec.keyLength, start + 1)).join(' ');
}
