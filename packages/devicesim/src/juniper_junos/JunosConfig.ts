import { renderJunosTokens, tokenizeJunos } from './junosTokens.ts';

/**
 * Top-level statements the simulator accepts. Real Junos checks every word against its schema;
 * the simulator checks only the first, so `set system foo bar` is accepted where a router
 * would say `syntax error`. Known shortcoming, kept because a full schema is out of reach.
 */
const topLevel = new Set([
  'access',
  'applications',
  'apply-groups',
  'bridge-domains',
  'chassis',
  'class-of-service',
  'event-options',
  'firewall',
  'forwarding-options',
  'groups',
  'interfaces',
  'logical-systems',
  'policy-options',
  'protocols',
  'routing-instances',
  'routing-options',
  'security',
  'services',
  'snmp',
  'switch-options',
  'system',
  'version',
  'vlans',
]);

/**
 * Words that take exactly one value: setting `host-name b` replaces `host-name a` instead of
 * adding a second statement, as Junos does for single-valued leaves.
 */
const singleValued = new Set([
  'autonomous-system',
  'contact',
  'description',
  'encapsulation',
  'hold-time',
  'host-name',
  'local-address',
  'local-as',
  'location',
  'message',
  'metric',
  'mtu',
  'peer-as',
  'preference',
  'router-id',
  'type',
  'version',
  'vlan-id',
]);

/** Words followed by a value that `show | compare` prints on the same line (`address X;`). */
const valueWords = new Set([
  ...singleValued,
  'address',
  'export',
  'import',
  'interface',
  'next-hop',
  'routing-instance',
  // syslog facilities, each followed by a severity: `any notice;`
  'any',
  'authorization',
  'change-log',
  'daemon',
  'firewall',
  'interactive-commands',
  'kernel',
]);

/** Why a statement is refused, with the index of the offending word for the `^` marker. */
export interface StatementError {
  message: string;
  wordIndex: number;
}

/**
 * A Junos configuration as Junos itself stores it for `display set`: an ordered list of
 * statements, each a path of words from the top of the hierarchy to a leaf. New statements
 * are placed after their closest relatives, so the order reads as a hierarchy would.
 */
export class JunosConfig {
  private statements: string[][];
  /** Statement keys for `has`, rebuilt after a change; compare asks once per statement. */
  private keys: Set<string> | undefined;

  private constructor(statements: string[][]) {
    this.statements = statements;
  }

  static empty(): JunosConfig {
    return new JunosConfig([]);
  }

  /** Parses `display set` text (`set ...` lines; blank and `#` lines skipped). */
  static fromSetText(text: string): { config: JunosConfig; errors: string[] } {
    const config = JunosConfig.empty();
    const errors: string[] = [];
    text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const { tokens, error } = tokenizeJunos(line);
      const verb = tokens[0];
      const path = tokens.slice(1);
      const problem = error ?? (verb === 'set' ? validateStatement(path)?.message : 'not a set');
      if (problem !== undefined) errors.push(`line ${index + 1}: ${problem}: ${line}`);
      else config.set(path);
    });
    return { config, errors };
  }

  clone(): JunosConfig {
    return new JunosConfig(this.statements.map((statement) => [...statement]));
  }

  /** Every statement as a word list; the caller must not change them. */
  list(): readonly (readonly string[])[] {
    return this.statements;
  }

  has(path: readonly string[]): boolean {
    this.keys ??= new Set(this.statements.map((statement) => statement.join('\u0000')));
    return this.keys.has(path.join('\u0000'));
  }

  /**
   * Adds a statement. Linear in the statement count, which is fine for router-sized configs
   * (a few thousand statements) and would be slow for far larger ones.
   */
  set(path: readonly string[]): void {
    this.keys = undefined;
    if (this.implies(path)) return;
    const replaced = this.replaceSingleValue(path);
    if (replaced) return;
    // A bare presence statement (`services ssh`) is implied by any statement below it.
    this.statements = this.statements.filter((statement) => !isStrictPrefix(statement, path));
    this.statements.splice(this.insertionIndex(path), 0, [...path]);
  }

  /** Removes the statement and everything below it; false when nothing matched. */
  delete(path: readonly string[]): boolean {
    this.keys = undefined;
    const before = this.statements.length;
    this.statements = this.statements.filter((statement) => !startsWith(statement, path));
    return this.statements.length < before;
  }

  equals(other: JunosConfig): boolean {
    return this.displaySet() === other.displaySet();
  }

  /** `show configuration | display set`, optionally only below `under`. */
  displaySet(under: readonly string[] = []): string {
    return this.statements
      .filter((statement) => startsWith(statement, under))
      .map((statement) => `set ${renderJunosTokens(statement)}`)
      .join('\n');
  }

  /** `[edit a b]` context and leaf words, as `show | compare` groups a statement. */
  static splitForCompare(path: readonly string[]): { context: string[]; leaf: string[] } {
    const cut = path.length >= 2 && valueWords.has(path[path.length - 2] ?? '') ? 2 : 1;
    return { context: path.slice(0, path.length - cut), leaf: path.slice(path.length - cut) };
  }

  private implies(path: readonly string[]): boolean {
    return this.statements.some((statement) => startsWith(statement, path));
  }

  private replaceSingleValue(path: readonly string[]): boolean {
    if (path.length < 2 || !singleValued.has(path[path.length - 2] ?? '')) return false;
    const key = path.slice(0, -1);
    const index = this.statements.findIndex(
      (statement) => statement.length === path.length && startsWith(statement, key),
    );
    if (index < 0) return false;
    this.statements[index] = [...path];
    return true;
  }

  private insertionIndex(path: readonly string[]): number {
    let best = -1;
    let bestShared = 0;
    this.statements.forEach((statement, index) => {
      const shared = sharedPrefix(statement, path);
      if (shared >= bestShared && shared > 0) {
        best = index;
        bestShared = shared;
      }
    });
    return best < 0 ? this.statements.length : best + 1;
  }
}

/** Checks what the simulator can check of a `set` path; undefined when it is accepted. */
export function validateStatement(path: readonly string[]): StatementError | undefined {
  const first = path[0];
  if (first === undefined) return { message: 'syntax error', wordIndex: 0 };
  if (!topLevel.has(first)) return { message: 'syntax error', wordIndex: 0 };
  if (path.length < 2) return { message: 'syntax error', wordIndex: 1 };
  const last = path[path.length - 1] ?? '';
  if (singleValued.has(last)) return { message: 'missing argument', wordIndex: path.length };
  return undefined;
}

function startsWith(statement: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((word, index) => statement[index] === word);
}

function isStrictPrefix(statement: readonly string[], path: readonly string[]): boolean {
  return statement.length < path.length && startsWith(path, statement);
}

function sharedPrefix(a: readonly string[], b: readonly string[]): number {
  let count = 0;
  while (count < a.length && count < b.length && a[count] === b[count]) count += 1;
  return count;
}
