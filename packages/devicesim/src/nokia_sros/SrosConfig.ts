import { formatValue } from './srosSchema.ts';
import { tokenizeSros } from './srosTokens.ts';

/**
 * One fact of an MD-CLI configuration: a leaf line (`description "x"`) at a path of block
 * headers under `configure`, or, with `leaf` undefined, the existence of a list entry
 * (`server 10.2.0.2 router-instance "management" { }` may have no children).
 */
export interface SrosItem {
  readonly path: readonly string[];
  readonly leaf: string | undefined;
}

/** A block or leaf as `info` prints it. */
export type SrosNode = { header: string; children: SrosNode[] } | { line: string };

/**
 * An SR OS configuration kept flat, one `SrosItem` per leaf or list entry, so that candidates
 * can be compared and merged as sets; the tree is rebuilt for display. Containers (one-word
 * headers such as `system`) exist only while something is below them, as in MD-CLI.
 */
export class SrosConfig {
  private items: SrosItem[];
  /** Item keys for `has`, rebuilt after a change; compare and merge ask once per item. */
  private keys: Set<string> | undefined;

  private constructor(items: SrosItem[]) {
    this.items = items;
  }

  static empty(): SrosConfig {
    return new SrosConfig([]);
  }

  /**
   * Parses `admin show configuration` / `info` text: `#` header lines, then `configure {`
   * and its blocks. Returns the header lines as they were, for a faithful display.
   */
  static parse(text: string): { header: string[]; config: SrosConfig } {
    const header: string[] = [];
    const config = SrosConfig.empty();
    const stack: string[] = [];
    let inside = false;
    text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (!inside) {
        if (line.startsWith('#')) header.push(raw.trimEnd());
        else if (line === 'configure {') inside = true;
        else if (line !== '') throw new Error(`line ${index + 1}: expected configure {: ${line}`);
        return;
      }
      if (line === '' || line.startsWith('#')) return;
      if (line === '}') {
        if (stack.pop() === undefined) inside = false;
        return;
      }
      if (line.endsWith('{')) {
        stack.push(normalizeWords(line.slice(0, -1), index));
        config.ensure(stack);
        return;
      }
      config.setLeaf(stack, normalizeWords(line, index));
    });
    if (inside || stack.length > 0) throw new Error('unbalanced braces in SR OS configuration');
    return { header, config };
  }

  clone(): SrosConfig {
    return new SrosConfig([...this.items]);
  }

  list(): readonly SrosItem[] {
    return this.items;
  }

  has(item: SrosItem): boolean {
    this.keys ??= new Set(this.items.map(itemKey));
    return this.keys.has(itemKey(item));
  }

  equals(other: SrosConfig): boolean {
    const keys = (config: SrosConfig) => config.items.map(itemKey).sort().join('\n');
    return keys(this) === keys(other);
  }

  /** Creates the list entries along `path` (containers need no record). */
  ensure(path: readonly string[]): void {
    for (let depth = 1; depth <= path.length; depth += 1) {
      const prefix = path.slice(0, depth);
      if ((prefix.at(-1) ?? '').includes(' ') && !this.has({ path: prefix, leaf: undefined })) {
        this.items.push({ path: prefix, leaf: undefined });
        this.keys = undefined;
      }
    }
  }

  /** Sets a leaf line, replacing the leaf of the same name at the same path. */
  setLeaf(path: readonly string[], leaf: string): void {
    this.ensure(path);
    const name = leafName(leaf);
    const index = this.items.findIndex(
      (item) =>
        samePath(item.path, path) && item.leaf !== undefined && leafName(item.leaf) === name,
    );
    const item = { path: [...path], leaf };
    this.keys = undefined;
    if (index >= 0) this.items[index] = item;
    else this.items.push(item);
  }

  /** Deletes a leaf by name, or a block and everything below it; false when nothing matched. */
  delete(path: readonly string[], leafWord?: string): boolean {
    this.keys = undefined;
    const before = this.items.length;
    this.items = this.items.filter((item) =>
      leafWord === undefined
        ? !startsWith(item.path, path)
        : !(
            samePath(item.path, path) &&
            item.leaf !== undefined &&
            leafName(item.leaf) === leafWord
          ),
    );
    return this.items.length < before;
  }

  /** True when a block exists at `path` (a list entry or a container with content). */
  hasBlock(path: readonly string[]): boolean {
    return this.items.some((item) => startsWith(item.path, path));
  }

  /** Applies what changed from `baseline` to `candidate` on top of this configuration. */
  applyChanges(baseline: SrosConfig, candidate: SrosConfig): void {
    for (const item of baseline.items) {
      if (candidate.has(item)) continue;
      if (item.leaf === undefined) this.delete(item.path);
      else this.delete(item.path, leafName(item.leaf));
    }
    for (const item of candidate.items) {
      if (baseline.has(item)) continue;
      if (item.leaf === undefined) this.ensure(item.path);
      else this.setLeaf(item.path, item.leaf);
    }
  }

  /** The blocks and leaves below `under`, in first-appearance order. */
  tree(under: readonly string[] = []): SrosNode[] {
    return buildTree(
      this.items.filter((item) => startsWith(item.path, under)),
      under.length,
    );
  }
}

/** Builds nested nodes from items whose paths start after `skip` headers. */
export function buildTree(items: readonly SrosItem[], skip: number): SrosNode[] {
  const root: SrosNode[] = [];
  for (const item of items) {
    let children = root;
    for (const header of item.path.slice(skip)) {
      let block = children.find(
        (node): node is { header: string; children: SrosNode[] } =>
          'header' in node && node.header === header,
      );
      if (block === undefined) {
        block = { header, children: [] };
        children.push(block);
      }
      children = block.children;
    }
    if (item.leaf !== undefined) children.push({ line: item.leaf });
  }
  return root;
}

/** `info`-style lines with four spaces per level, starting at `depth`. */
export function renderTree(nodes: readonly SrosNode[], depth: number): string[] {
  const pad = '    '.repeat(depth);
  return nodes.flatMap((node) =>
    'line' in node
      ? [`${pad}${node.line}`]
      : [`${pad}${node.header} {`, ...renderTree(node.children, depth + 1), `${pad}}`],
  );
}

/** `keyword value [name value]…` with MD-CLI's quoting, from typed or displayed words. */
export function formatWords(words: readonly string[]): string {
  const [keyword = '', ...rest] = words;
  const parts = [keyword];
  let name = keyword;
  rest.forEach((word, index) => {
    // Values sit at odd positions after the keyword: `server X router-instance "Y"`.
    if (index % 2 === 0) parts.push(formatValue(name, word));
    else {
      name = word;
      parts.push(word);
    }
  });
  return parts.join(' ');
}

function normalizeWords(text: string, index: number): string {
  const { tokens, error } = tokenizeSros(text.trim());
  if (error !== undefined) throw new Error(`line ${index + 1}: ${error}`);
  return formatWords(tokens);
}

export function leafName(leaf: string): string {
  return leaf.split(' ')[0] ?? leaf;
}

function itemKey(item: SrosItem): string {
  return `${item.path.join('\n')}\t${item.leaf ?? ''}`;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((header, i) => path[i] === header);
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}
