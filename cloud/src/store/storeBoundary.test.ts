import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

/** Modules that build or run queries; only the store may import values from them. */
const queryModule = /^(drizzle-orm(\/.*)?|better-sqlite3|.*\/store\/(schema|openDatabase)\.ts)$/;

/** The modules a file imports values from (type-only imports carry no query, so they pass). */
function valueImports(text: string): string[] {
  const statements = text.matchAll(/^import\s+(type\s)?[^;]*?from\s+'([^']+)'/gms);
  return [...statements].filter((m) => m[1] === undefined).map((m) => m[2] ?? '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the store boundary', () => {
  it('keeps every query in src/store: nothing else imports drizzle, SQLite or the schema', () => {
    const files = sourceFiles(srcDir).map((file) => relative(srcDir, file));
    expect(files).toContain('http/createApp.ts');
    expect(valueImports(readFileSync(join(srcDir, 'store/Store.ts'), 'utf8'))).toContain(
      'drizzle-orm',
    );

    const offenders = files
      .filter((file) => !file.startsWith('store/'))
      .flatMap((file) => {
        const imports = valueImports(readFileSync(join(srcDir, file), 'utf8'));
        return imports.filter((name) => queryModule.test(name)).map((name) => `${file}: ${name}`);
      });
    expect(offenders).toEqual([]);
  });
});
