/**
 * A running configuration as indented blocks, the form IOS, NX-OS and EOS share. Separator
 * lines (`!`, blank lines) are kept in place so that a configuration parsed and rendered again
 * comes back line for line, which keeps a fleet started from intended configs in sync.
 */
export interface ConfigNode {
  /** The line without indentation, words separated by single spaces (separators: `!` or ``). */
  text: string;
  children: ConfigNode[];
  /** A `!` or blank line that only separates blocks. */
  separator?: boolean;
  /** A block of free text (EOS `banner motd`): children are raw lines, ended by `EOF`. */
  textBlock?: boolean;
}

export interface TreeFormat {
  /** One level of indentation: one space (IOS), two (NX-OS), three (EOS). */
  indent: string;
  /** The separator written after a new top-level block: `!` or `` (NX-OS writes none). */
  blockSeparator: string | undefined;
  /** Lines that close a block when rendered, by its first word (IOS `exit-address-family`). */
  closers: Readonly<Record<string, string>>;
  /** Header lines the device prints itself (`! Command:`, `Building configuration...`). */
  headerPattern: RegExp;
  /** The device ends the configuration with `end` (IOS, EOS). */
  endLine: boolean;
  /** Top-level lines whose body is free text up to a line `EOF` (EOS `banner motd`). */
  textBlocks?: readonly string[];
}

/** The line that ends a text block. */
export const textBlockEnd = 'EOF';

export class ConfigTree {
  constructor(readonly root: ConfigNode = { text: '', children: [] }) {}

  /** Parses `show running-config` text; header lines, closers and the final `end` are dropped. */
  static parse(text: string, format: TreeFormat): ConfigTree {
    const root: ConfigNode = { text: '', children: [] };
    const open: { indent: number; node: ConfigNode }[] = [{ indent: -1, node: root }];
    const closerWords = new Set(Object.values(format.closers));
    const lines = text.replace(/\r/g, '').split('\n');
    while (lines.length > 0 && (lines.at(-1) ?? '').trim() === '') lines.pop();
    if (format.endLine && lines.at(-1)?.trim() === 'end') lines.pop();
    let inHeader = true;
    for (let index = 0; index < lines.length; index++) {
      const raw = lines[index] ?? '';
      if (inHeader && format.headerPattern.test(raw)) continue;
      inHeader = false;
      const text = raw.trim();
      if (format.textBlocks?.includes(raw) === true) {
        const end = lines.indexOf(textBlockEnd, index + 1);
        const body = lines.slice(index + 1, end === -1 ? lines.length : end);
        root.children.push(textBlockNode(raw, body));
        open.splice(1);
        index = end === -1 ? lines.length : end;
        continue;
      }
      const indent = raw.length - raw.trimStart().length;
      if (closerWords.has(text)) continue;
      const separator = text === '' || text === '!';
      while ((open.at(-1)?.indent ?? -1) >= (separator && text === '' ? 0 : indent)) {
        if (open.length === 1) break;
        open.pop();
      }
      const parent = open.at(-1)?.node ?? root;
      const node: ConfigNode = separator
        ? { text, children: [], separator: true }
        : { text: text.replace(/\s+/g, ' '), children: [] };
      parent.children.push(node);
      if (!separator) open.push({ indent, node });
    }
    return new ConfigTree(root);
  }

  /** The configuration as the device prints it, without header lines. */
  render(format: TreeFormat): string[] {
    const lines: string[] = [];
    const walk = (node: ConfigNode, depth: number) => {
      for (const child of node.children) {
        if (child.textBlock === true) {
          lines.push(child.text, ...child.children.map((line) => line.text), textBlockEnd);
          continue;
        }
        const pad = child.text === '' ? '' : format.indent.repeat(depth);
        lines.push(pad + child.text);
        walk(child, depth + 1);
        const closer = format.closers[child.text.split(' ')[0] ?? ''];
        if (closer !== undefined && !child.separator)
          lines.push(format.indent.repeat(depth) + closer);
      }
    };
    walk(this.root, 0);
    if (format.endLine) lines.push('end');
    return lines;
  }

  clone(): ConfigTree {
    return new ConfigTree(cloneNode(this.root));
  }

  /** The node at `path` (texts from the root), or undefined when a block is gone. */
  find(path: readonly string[]): ConfigNode | undefined {
    let node: ConfigNode | undefined = this.root;
    for (const text of path) {
      node = node?.children.find((child) => !child.separator && child.text === text);
      if (node === undefined) return undefined;
    }
    return node;
  }
}

function cloneNode(node: ConfigNode): ConfigNode {
  const copy: ConfigNode = { text: node.text, children: node.children.map(cloneNode) };
  if (node.separator) copy.separator = true;
  if (node.textBlock) copy.textBlock = true;
  return copy;
}

/** A text block (`banner motd` and its lines), kept verbatim. */
export function textBlockNode(header: string, body: readonly string[]): ConfigNode {
  return { text: header, children: body.map((text) => ({ text, children: [] })), textBlock: true };
}

/**
 * Where a new child goes: after the last sibling with the same first word (and the separator
 * after it); inside a block, before the first line that `rank` (the grammar's order, which is
 * the order devices print) puts later; else before the separators that end the block. This
 * keeps like lines together without modelling every vendor's sort order.
 */
export function insertChild(
  parent: ConfigNode,
  child: ConfigNode,
  format: TreeFormat,
  block: boolean,
  rank?: (text: string) => number,
): void {
  const firstWord = child.text.split(' ')[0];
  const siblings = parent.children;
  let index = -1;
  for (let i = siblings.length - 1; i >= 0; i--) {
    const sibling = siblings[i];
    if (sibling !== undefined && !sibling.separator && sibling.text.split(' ')[0] === firstWord) {
      index = i + 1;
      break;
    }
  }
  if (index === -1 && rank !== undefined && parent.text !== '') {
    const own = rank(child.text);
    const later = siblings.findIndex((s) => !s.separator && rank(s.text) > own);
    if (later !== -1) index = later;
  }
  const topBlock = block && parent.text === '' && format.blockSeparator !== undefined;
  if (index === -1) {
    index = siblings.length;
    if (!topBlock) {
      while (index > 0 && siblings[index - 1]?.separator && siblings[index - 1]?.text === '!') {
        index--;
      }
    }
  } else if (siblings[index]?.separator && siblings[index - 1]?.children.length) {
    index++;
  }
  siblings.splice(index, 0, child);
  if (topBlock && format.blockSeparator !== undefined) {
    const after = siblings[index + 1];
    const text = format.blockSeparator;
    const separator = (): ConfigNode => ({ text, children: [], separator: true });
    if (after === undefined || !after.separator) siblings.splice(index + 1, 0, separator());
    const before = siblings[index - 1];
    if (before !== undefined && !before.separator) siblings.splice(index, 0, separator());
  }
}

/** Removes `child` and, for a top-level block, the separator that followed it. */
export function removeChild(parent: ConfigNode, child: ConfigNode): void {
  const index = parent.children.indexOf(child);
  if (index === -1) return;
  const next = parent.children[index + 1];
  const previous = parent.children[index - 1];
  const dropSeparator =
    parent.text === '' &&
    child.children.length > 0 &&
    next?.separator === true &&
    (previous === undefined || previous.separator === true);
  parent.children.splice(index, dropSeparator ? 2 : 1);
}
