import {
  buildTree,
  leafName,
  type SrosConfig,
  type SrosItem,
  type SrosNode,
} from './SrosConfig.ts';

type Sign = '+' | '-' | ' ';

/**
 * MD-CLI `compare`: the candidate against its baseline below `under`, as nested blocks with
 * `-` and `+` in the first column and unchanged blocks around them for context. `wrap` adds
 * the enclosing `configure {` as `compare` at `[/]` prints it. Empty when nothing changed.
 */
export function srosCompare(
  baseline: SrosConfig,
  candidate: SrosConfig,
  under: readonly string[],
  wrap: boolean,
): string {
  const inside = (item: SrosItem) => under.every((header, i) => item.path[i] === header);
  const base = baseline.list().filter(inside);
  const cand = candidate.list().filter(inside);
  const union = mergeOrder(base, cand, candidate, baseline);
  const signOf = (item: SrosItem): Sign =>
    !baseline.has(item) ? '+' : !candidate.has(item) ? '-' : ' ';

  const signs = new Map<string, Sign>();
  for (const item of union) signs.set(key(item), signOf(item));
  const blockSign = (path: readonly string[]): Sign => {
    const inBase = baseline.hasBlock(path);
    const inCand = candidate.hasBlock(path);
    return inBase && inCand ? ' ' : inCand ? '+' : '-';
  };

  const lines = render(buildTree(union, under.length), [...under], 1 + (wrap ? 1 : 0), {
    leafSign: (path, line) => signs.get(key({ path, leaf: line })) ?? ' ',
    blockSign,
  });
  if (lines.length === 0) return '';
  return (wrap ? ['    configure {', ...lines, '    }'] : lines).join('\n');
}

interface Signs {
  leafSign(path: readonly string[], line: string): Sign;
  blockSign(path: readonly string[]): Sign;
}

function render(nodes: SrosNode[], path: string[], depth: number, signs: Signs): string[] {
  const line = (sign: Sign, text: string) => `${sign}${' '.repeat(depth * 4 - 1)}${text}`;
  return nodes.flatMap((node) => {
    if ('line' in node) {
      const sign = signs.leafSign(path, node.line);
      return sign === ' ' ? [] : [line(sign, node.line)];
    }
    const blockPath = [...path, node.header];
    const sign = signs.blockSign(blockPath);
    const inner = render(node.children, blockPath, depth + 1, signs);
    if (sign === ' ' && inner.length === 0) return [];
    return [line(sign, `${node.header} {`), ...inner, line(sign, '}')];
  });
}

/** Candidate order, with a replaced leaf's old line just before its new one. */
function mergeOrder(
  base: readonly SrosItem[],
  cand: readonly SrosItem[],
  candidate: SrosConfig,
  baseline: SrosConfig,
): SrosItem[] {
  const removed = base.filter((item) => !candidate.has(item));
  const used = new Set<SrosItem>();
  const order: SrosItem[] = [];
  for (const item of cand) {
    if (!baseline.has(item) && item.leaf !== undefined) {
      const name = leafName(item.leaf);
      const old = removed.find(
        (r) =>
          !used.has(r) &&
          r.leaf !== undefined &&
          leafName(r.leaf) === name &&
          r.path.join('\n') === item.path.join('\n'),
      );
      if (old !== undefined) {
        used.add(old);
        order.push(old);
      }
    }
    order.push(item);
  }
  return [...order, ...removed.filter((item) => !used.has(item))];
}

function key(item: SrosItem): string {
  return `${item.path.join('\n')}\t${item.leaf ?? ''}`;
}
