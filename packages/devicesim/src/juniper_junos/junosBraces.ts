import { JunosConfig } from './JunosConfig.ts';
import { quoteJunos, tokenizeJunos } from './junosTokens.ts';

interface Node {
  words: string[];
  children: Node[];
}

/** Words that name an object with the word after them: `unit 0 {`, `family inet {`. */
const namedObjects = new Set([
  'area',
  'community',
  'family',
  'filter',
  'group',
  'host',
  'interface',
  'neighbor',
  'policy-statement',
  'prefix-list',
  'route',
  'server',
  'term',
  'unit',
]);

/** Blocks Junos prints on one line when they hold a single leaf: `then accept;`. */
const oneLiners = new Set(['from', 'then', 'to', 'route', 'server']);

/**
 * The curly-brace form of `show configuration`, from `display set` statements. Without
 * Junos's schema the layout follows word lists kept here (objects with a name, blocks shown
 * on one line); an element outside them may be laid out differently from a router (known
 * shortcoming). `display set` is exact; drivers read that.
 */
export function renderJunosBraces(config: JunosConfig): string {
  return renderStatementTree(config.list().map(statementSegments), 0).join('\n');
}

/**
 * A statement as layout segments: named objects keep their name (`unit 0`), the leaf keeps
 * its value (`address X`), other words stand alone.
 */
export function statementSegments(path: readonly string[]): string[][] {
  const { context, leaf } = JunosConfig.splitForCompare(path);
  return [...segments(context), [...leaf]];
}

/** Brace lines for statements given as segments, starting `depth` levels in. */
export function renderStatementTree(statements: readonly string[][][], depth: number): string[] {
  const root: Node = { words: [], children: [] };
  for (const statement of statements) insert(root, statement);
  return root.children.flatMap((child) => renderNode(child, depth));
}

function insert(root: Node, statement: readonly string[][]): void {
  let node = root;
  const containers = statement.slice(0, -1);
  for (const segment of containers) {
    const key = segment.join(' ');
    let child = node.children.find((c) => c.children.length > 0 && c.words.join(' ') === key);
    if (child === undefined) {
      child = { words: [...segment], children: [] };
      node.children.push(child);
    }
    node = child;
  }
  node.children.push({ words: [...(statement.at(-1) ?? [])], children: [] });
}

function segments(words: readonly string[]): string[][] {
  const result: string[][] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    const name = words[index + 1];
    if (namedObjects.has(word) && name !== undefined) {
      result.push([word, name]);
      index += 1;
    } else {
      result.push([word]);
    }
  }
  return result;
}

function renderNode(node: Node, depth: number): string[] {
  const pad = '    '.repeat(depth);
  const words = node.words.map(quoteJunos).join(' ');
  if (node.children.length === 0) return [`${pad}${words};`];
  const only = node.children.length === 1 ? node.children[0] : undefined;
  if (only !== undefined && only.children.length === 0 && oneLiners.has(node.words[0] ?? '')) {
    return [`${pad}${words} ${only.words.map(quoteJunos).join(' ')};`];
  }
  return [
    `${pad}${words} {`,
    ...node.children.flatMap((child) => renderNode(child, depth + 1)),
    `${pad}}`,
  ];
}

/**
 * Reads curly-brace text (`load merge terminal`) into statements: `{` opens a level named by
 * the words before it, `;` ends a leaf, `}` closes. Returns the statement paths or an error.
 */
export function parseJunosBraces(text: string): { paths: string[][]; error?: string } {
  const paths: string[][] = [];
  const stack: { words: string[]; pathsBefore: number }[] = [];
  const context = () => stack.flatMap((level) => level.words);
  let words: string[] = [];
  // Known shortcoming: a brace or semicolon inside a quoted string splits the string.
  const spaced = text.replace(/([{};])/g, ' $1 ');
  for (const raw of spaced.split('\n')) {
    const line = raw.replace(/^\s*#.*$/, '');
    const { tokens, error } = tokenizeJunos(line);
    if (error !== undefined) return { paths, error };
    for (const token of tokens) {
      if (token === '{') {
        stack.push({ words, pathsBefore: paths.length });
        words = [];
      } else if (token === ';') {
        if (words.length > 0) paths.push([...context(), ...words]);
        words = [];
      } else if (token === '}') {
        const level = stack.pop();
        if (level === undefined || words.length > 0) return { paths, error: 'syntax error' };
        // An empty block is a presence statement (`ssh { }` means `set system services ssh`).
        if (paths.length === level.pathsBefore) paths.push([...context(), ...level.words]);
      } else {
        words.push(token);
      }
    }
  }
  if (stack.length > 0 || words.length > 0) return { paths, error: 'syntax error' };
  return { paths };
}
