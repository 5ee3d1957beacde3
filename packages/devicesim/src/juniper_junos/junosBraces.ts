import { JunosConfig } from './JunosConfig.ts';
import { quoteJunos, tokenizeJunos } from './junosTokens.ts';

interface Node {
  words: string[];
  children: Node[];
}

/**
 * The curly-brace form of `show configuration`. Without Junos's schema the simulator cannot
 * know that `unit 0` is one named container; it joins a word with its only child when that
 * child has children of its own (`unit 0 {`) and ends a single chain as a leaf (`address X;`).
 * Known shortcoming: `family inet` prints as `family { inet { … } }` when a unit has two
 * families. `display set` is exact; drivers read that.
 */
export function renderJunosBraces(config: JunosConfig): string {
  const root: Node = { words: [], children: [] };
  for (const path of config.list()) insert(root, path);
  return root.children.flatMap((child) => renderNode(child, 0)).join('\n');
}

function insert(root: Node, path: readonly string[]): void {
  let node = root;
  const { context, leaf } = JunosConfig.splitForCompare(path);
  for (const word of context) {
    let child = node.children.find((c) => c.words.length === 1 && c.words[0] === word);
    if (child === undefined) {
      child = { words: [word], children: [] };
      node.children.push(child);
    }
    node = child;
  }
  node.children.push({ words: [...leaf], children: [] });
}

function renderNode(node: Node, depth: number): string[] {
  const pad = '    '.repeat(depth);
  let current = node;
  const words = [...node.words];
  while (current.children.length === 1) {
    const only = current.children[0];
    if (only === undefined || only.children.length === 0) break;
    words.push(...only.words);
    current = only;
  }
  if (current.children.length === 0) return [`${pad}${words.map(quoteJunos).join(' ')};`];
  return [
    `${pad}${words.map(quoteJunos).join(' ')} {`,
    ...current.children.flatMap((child) => renderNode(child, depth + 1)),
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
