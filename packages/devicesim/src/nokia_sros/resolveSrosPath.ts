import { formatWords } from './SrosConfig.ts';
import { elementKind, invalidValue } from './srosSchema.ts';

/** Where a command line points: the block it ends in and the leaves it sets or names. */
export interface SrosPath {
  path: string[];
  /** `description "x"` lines to set, or bare names (`description`) to delete. */
  leaves: string[];
}

/**
 * Walks MD-CLI words from `context` (headers below `configure`) through the schema:
 * containers and list entries extend the path, a leaf takes the next word as its value and
 * the walk goes on in the same block. With `forDelete` a leaf needs no value.
 */
export function resolveSrosPath(
  context: readonly string[],
  tokens: readonly string[],
  forDelete: boolean,
): SrosPath | { error: string } {
  const path = [...context];
  const leaves: string[] = [];
  let index = 0;
  while (index < tokens.length) {
    const word = tokens[index] ?? '';
    const parent = (path.at(-1) ?? 'configure').split(' ')[0] ?? 'configure';
    const kind = elementKind(parent, word);
    if (kind === undefined) return { error: `MINOR: MGMT_CORE #2201: Unknown element - '${word}'` };
    if (kind.kind === 'container') {
      path.push(word);
      index += 1;
      continue;
    }
    const value = tokens[index + 1];
    if (kind.kind === 'leaf' && value === undefined && forDelete) {
      leaves.push(word);
      index += 1;
      continue;
    }
    if (value === undefined)
      return { error: `MINOR: CLI #2001: Missing element value - '${word}'` };
    if (kind.kind === 'leaf') {
      const bad = invalidValue(word, value);
      if (bad !== undefined) {
        return { error: `MINOR: MGMT_CORE #2007: Invalid element value - '${bad}'` };
      }
      leaves.push(formatWords([word, value]));
      index += 2;
      continue;
    }
    const words = [word, value];
    index += 2;
    while (kind.namedKeys.includes(tokens[index] ?? '')) {
      const keyValue = tokens[index + 1];
      if (keyValue === undefined) {
        return { error: `MINOR: CLI #2001: Missing element value - '${tokens[index]}'` };
      }
      words.push(tokens[index] ?? '', keyValue);
      index += 2;
    }
    path.push(formatWords(words));
  }
  return { path, leaves };
}
