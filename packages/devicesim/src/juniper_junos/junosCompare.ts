import type { JunosConfig } from './JunosConfig.ts';
import { renderStatementTree, statementSegments } from './junosBraces.ts';
import { renderJunosTokens } from './junosTokens.ts';

type Sign = '-' | '+';

/**
 * `show | compare`: what `candidate` removes from and adds to `base`, each change under an
 * `[edit …]` header naming the deepest level that exists on both sides, with the new or
 * removed part laid out in braces and marked `-` or `+` in the first column. Empty when
 * nothing changed.
 */
export function junosCompare(base: JunosConfig, candidate: JunosConfig): string {
  const groups = new Map<string, Record<Sign, string[][][]>>();
  const add = (path: readonly string[], sign: Sign, other: JunosConfig) => {
    const segments = statementSegments(path);
    let depth = segments.length - 1;
    while (depth > 0 && !hasPrefix(other, segments.slice(0, depth).flat())) depth -= 1;
    const context = segments.slice(0, depth).flat();
    const header = context.length === 0 ? '[edit]' : `[edit ${renderJunosTokens(context)}]`;
    const group = groups.get(header) ?? { '-': [], '+': [] };
    group[sign].push(segments.slice(depth));
    groups.set(header, group);
  };
  for (const path of base.list()) if (!candidate.has(path)) add(path, '-', candidate);
  for (const path of candidate.list()) if (!base.has(path)) add(path, '+', base);

  return [...groups]
    .flatMap(([header, group]) => [header, ...marked(group, '-'), ...marked(group, '+')])
    .join('\n');
}

function marked(group: Record<Sign, string[][][]>, sign: Sign): string[] {
  return renderStatementTree(group[sign], 1).map((line) => `${sign}${line.slice(1)}`);
}

function hasPrefix(config: JunosConfig, words: readonly string[]): boolean {
  return config.list().some((statement) => words.every((word, i) => statement[i] === word));
}
