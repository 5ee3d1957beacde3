/** A line split into Junos words; quoted strings lose their quotes. `error` on a bad quote. */
export interface TokenizedLine {
  tokens: string[];
  /** Column (0-based) where each token starts, for the `^` marker under a bad word. */
  columns: number[];
  error?: string;
}

/** Splits on blanks, keeping `"quoted words"` (with `\"` escapes) as one token. */
export function tokenizeJunos(line: string): TokenizedLine {
  const tokens: string[] = [];
  const columns: number[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (char === ' ' || char === '\t') {
      index += 1;
      continue;
    }
    columns.push(index);
    if (char === '"') {
      const end = closingQuote(line, index + 1);
      if (end < 0) return { tokens, columns, error: 'unterminated quoted string' };
      tokens.push(line.slice(index + 1, end).replace(/\\"/g, '"'));
      index = end + 1;
      continue;
    }
    let end = index;
    while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end += 1;
    tokens.push(line.slice(index, end));
    index = end;
  }
  return { tokens, columns };
}

function closingQuote(line: string, from: number): number {
  for (let index = from; index < line.length; index += 1) {
    if (line[index] === '\\') index += 1;
    else if (line[index] === '"') return index;
  }
  return -1;
}

/** Junos quotes a word only when it holds a blank or another character outside a name. */
export function quoteJunos(word: string): string {
  return /^[\w./:-]+$/.test(word) ? word : `"${word.replace(/"/g, '\\"')}"`;
}

export function renderJunosTokens(tokens: readonly string[]): string {
  return tokens.map(quoteJunos).join(' ');
}
