import { type CommandSpec, keyOf, type MatchResult, matchCommand } from './CommandGrammar.ts';
import {
  type ConfigNode,
  type ConfigTree,
  insertChild,
  removeChild,
  type TreeFormat,
} from './ConfigTree.ts';

/** One level of the config-mode stack: the mode's grammar name and the block it edits. */
export interface ModeLevel {
  mode: string;
  /** Block texts from the root; empty at the top. */
  path: string[];
}

export type EditResult =
  | { kind: 'ok'; stack: ModeLevel[] }
  | Exclude<MatchResult, { kind: 'ok' }>
  /** The block being edited is gone (removed by another session); the device leaves the mode. */
  | { kind: 'gone' };

export interface Grammar {
  readonly modes: Readonly<Record<string, readonly CommandSpec[]>>;
  readonly format: TreeFormat;
}

/**
 * Applies one configuration command to `tree` from the mode stack `stack`. A command the
 * current mode does not know is tried in the enclosing modes, as IOS-style parsers do
 * (`router bgp 1` typed in interface mode leaves interface mode). Returns the new stack.
 */
export function applyConfigLine(
  tree: ConfigTree,
  stack: readonly ModeLevel[],
  line: string,
  grammar: Grammar,
): EditResult {
  let firstError: Exclude<MatchResult, { kind: 'ok' }> | undefined;
  for (let depth = stack.length - 1; depth >= 0; depth--) {
    const level = stack[depth];
    if (level === undefined) continue;
    const specs = grammar.modes[level.mode] ?? [];
    const attempt = applyAtLevel(tree, level, line, specs, grammar);
    if (attempt.kind === 'ok')
      return { kind: 'ok', stack: [...stack.slice(0, depth), ...attempt.stack] };
    if (attempt.kind === 'gone') return attempt;
    firstError ??= attempt;
  }
  return firstError ?? { kind: 'incomplete' };
}

function applyAtLevel(
  tree: ConfigTree,
  level: ModeLevel,
  line: string,
  specs: readonly CommandSpec[],
  grammar: Grammar,
): EditResult {
  const match = matchCommand(specs, line);
  const negated = /^no\s/i.test(line.trim());
  if (match.kind !== 'ok' && negated) return removeLines(tree, level, line, specs);
  if (match.kind !== 'ok') return match;
  if (match.spec.action === 'exit') return { kind: 'ok', stack: [] };
  const parent = tree.find(level.path);
  if (parent === undefined) return { kind: 'gone' };
  const text = match.words.join(' ');
  if (match.spec.enters !== undefined) {
    let block = parent.children.find((child) => !child.separator && child.text === text);
    if (block === undefined) {
      block = { text, children: [] };
      insertChild(parent, block, grammar.format, true, rankIn(specs));
    }
    return { kind: 'ok', stack: [level, { mode: match.spec.enters, path: [...level.path, text] }] };
  }
  const key = keyOf(match.spec, match.words);
  const sameKey = parent.children.filter(
    (child) => !child.separator && childKey(child, specs) === key,
  );
  if (match.spec.isDefault) {
    for (const child of sameKey) removeChild(parent, child);
    return { kind: 'ok', stack: [level] };
  }
  const [first, ...others] = sameKey;
  for (const child of others) removeChild(parent, child);
  if (first !== undefined) first.text = text;
  else insertChild(parent, { text, children: [] }, grammar.format, false, rankIn(specs));
  return { kind: 'ok', stack: [level] };
}

/** `no <words>`: removes every line (or block) that starts with the canonical words. */
function removeLines(
  tree: ConfigTree,
  level: ModeLevel,
  line: string,
  specs: readonly CommandSpec[],
): EditResult {
  const rest = line.trim().replace(/^no\s+/i, '');
  const offset = line.length - line.trimStart().length + (line.trim().length - rest.length);
  const match = matchCommand(
    specs.filter((spec) => !isNoSpec(spec)),
    rest,
    true,
  );
  if (match.kind === 'invalid' || match.kind === 'ambiguous') {
    return { ...match, column: match.column + offset };
  }
  if (match.kind !== 'ok') return match;
  const parent = tree.find(level.path);
  if (parent === undefined) return { kind: 'gone' };
  const target = match.words.join(' ');
  const key = keyOf(match.spec, match.words);
  const doomed = parent.children.filter((child) => {
    if (child.separator) return false;
    if (child.text === target || child.text.startsWith(`${target} `)) return true;
    return match.words.length >= match.spec.keyLength && childKey(child, specs) === key;
  });
  for (const child of doomed) removeChild(parent, child);
  return { kind: 'ok', stack: [level] };
}

function isNoSpec(spec: CommandSpec): boolean {
  const first = spec.tokens[0];
  return first?.kind === 'keyword' && first.word === 'no';
}

/** A line's position in the mode's grammar, which lists commands in the order devices print. */
function rankIn(specs: readonly CommandSpec[]): (text: string) => number {
  return (text) => {
    const match = matchCommand(specs, text);
    return match.kind === 'ok' ? specs.indexOf(match.spec) : specs.length;
  };
}

/** The key of a stored line, found by matching it against the mode's grammar. */
export function childKey(child: ConfigNode, specs: readonly CommandSpec[]): string {
  const match = matchCommand(specs, child.text);
  return match.kind === 'ok' ? keyOf(match.spec, match.words) : child.text;
}

/** The mode a stored block opens, for entering it again or for a session's prompt. */
export function modeOfBlock(
  text: string,
  parentMode: string,
  grammar: Grammar,
): string | undefined {
  const match = matchCommand(grammar.modes[parentMode] ?? [], text);
  return match.kind === 'ok' ? match.spec.enters : undefined;
}
