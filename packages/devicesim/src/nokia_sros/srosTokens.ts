/** A line split into MD-CLI words; quoted strings lose their quotes. */
export interface SrosTokens {
  tokens: string[];
  error?: string;
}

export function tokenizeSros(line: string): SrosTokens {
  const tokens: string[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (char === ' ' || char === '\t') {
      index += 1;
      continue;
    }
    if (char === '"') {
      const end = line.indexOf('"', index + 1);
      if (end < 0) return { tokens, error: 'unterminated quoted string' };
      tokens.push(line.slice(index + 1, end));
      index = end + 1;
      continue;
    }
    let end = index;
    while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end += 1;
    tokens.push(line.slice(index, end));
    index = end;
  }
  return { tokens };
}
