/** Lines compared with a quadratic table; configurations are far smaller than this. */
const maxChangedLines = 2000;

/**
 * A unified diff (`---`/`+++` headers, `@@` hunks with three lines of context) of two line
 * lists, as EOS prints for `show session-config diffs`. Empty when they are equal.
 */
export function unifiedDiff(
  before: readonly string[],
  after: readonly string[],
  labels: { before: string; after: string },
): string {
  const ops = diffLines(before, after);
  if (ops.every((op) => op.kind === ' ')) return '';
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  const context = 3;
  let index = 0;
  while (index < ops.length) {
    if (ops[index]?.kind === ' ') {
      index++;
      continue;
    }
    let start = Math.max(0, index - context);
    let end = index;
    for (;;) {
      while (end < ops.length && ops[end]?.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]?.kind === ' ') next++;
      if (next < ops.length && next - end <= context * 2) end = next;
      else break;
    }
    end = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, end);
    const first = ops[start];
    const oldStart = (first?.oldIndex ?? 0) + 1;
    const newStart = (first?.newIndex ?? 0) + 1;
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    index = end;
    start = end;
  }
  return `${out.join('\n')}\n`;
}

interface DiffOp {
  kind: ' ' | '-' | '+';
  text: string;
  oldIndex: number;
  newIndex: number;
}

function diffLines(before: readonly string[], after: readonly string[]): DiffOp[] {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) {
    prefix++;
  }
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  const a = before.slice(prefix, before.length - suffix);
  const b = after.slice(prefix, after.length - suffix);
  const ops: DiffOp[] = [];
  for (let i = 0; i < prefix; i++) ops.push(op(' ', before[i], i, i));
  ops.push(...middle(a, b, prefix));
  for (let i = suffix; i > 0; i--) {
    ops.push(op(' ', before[before.length - i], before.length - i, after.length - i));
  }
  return ops;
}

function middle(a: readonly string[], b: readonly string[], offset: number): DiffOp[] {
  if (a.length > maxChangedLines || b.length > maxChangedLines) {
    return [
      ...a.map((text, i) => op('-', text, offset + i, offset)),
      ...b.map((text, j) => op('+', text, offset + a.length, offset + j)),
    ];
  }
  const width = b.length + 1;
  const lcs = new Uint16Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push(op(' ', a[i], offset + i++, offset + j++));
    } else if (
      i < a.length &&
      (j === b.length || (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))
    ) {
      ops.push(op('-', a[i], offset + i++, offset + j));
    } else {
      ops.push(op('+', b[j], offset + i, offset + j++));
    }
  }
  return ops;
}

function op(kind: DiffOp['kind'], text: string | undefined, oldIndex: number, newIndex: number) {
  return { kind, text: text ?? '', oldIndex, newIndex };
}
