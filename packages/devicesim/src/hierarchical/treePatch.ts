import type { ConfigNode, TreeFormat } from './ConfigTree.ts';

/**
 * The configuration commands that take `from` to `to`, in the indented form NX-OS prints as a
 * rollback patch: removed lines as `no ...` under their block, then added lines and blocks.
 * Order within a block follows the trees, not the device's dependency order.
 */
export function treePatch(from: ConfigNode, to: ConfigNode, format: TreeFormat): string[] {
  const out = { lines: [] as string[], printed: [] as string[] };
  walk(from, to, [], out, format);
  return out.lines;
}

interface PatchOutput {
  lines: string[];
  /** Block headers last printed, so that a block's header is printed once before its lines. */
  printed: string[];
}

function walk(
  from: ConfigNode,
  to: ConfigNode,
  path: string[],
  out: PatchOutput,
  format: TreeFormat,
): void {
  const fromLines = from.children.filter((child) => !child.separator);
  const toLines = to.children.filter((child) => !child.separator);
  const pad = format.indent.repeat(path.length);
  for (const old of fromLines) {
    if (toLines.some((child) => child.text === old.text)) continue;
    enter(path, out, format);
    out.lines.push(pad + (old.text.startsWith('no ') ? old.text.slice(3) : `no ${old.text}`));
  }
  for (const child of toLines) {
    const old = fromLines.find((candidate) => candidate.text === child.text);
    if (old !== undefined) {
      walk(old, child, [...path, child.text], out, format);
      continue;
    }
    enter(path, out, format);
    renderSubtree(child, path.length, out.lines, format);
    out.printed = [...path, child.text];
  }
}

/** Prints the headers of `path` that are not already the current context. */
function enter(path: string[], out: PatchOutput, format: TreeFormat): void {
  let common = 0;
  while (common < path.length && out.printed[common] === path[common]) common++;
  for (let level = common; level < path.length; level++) {
    out.lines.push(format.indent.repeat(level) + path[level]);
  }
  out.printed = [...path];
}

function renderSubtree(node: ConfigNode, depth: number, lines: string[], format: TreeFormat) {
  lines.push(format.indent.repeat(depth) + node.text);
  for (const child of node.children) {
    if (!child.separator) renderSubtree(child, depth + 1, lines, format);
  }
}
