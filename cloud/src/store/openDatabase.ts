import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/**
 * Opens (or creates, mode 0600) the database file, sets WAL mode and foreign keys, and applies
 * every pending migration before anything else touches it.
 */
export function openDatabase(file: string): { db: Db; sqlite: Database.Database } {
  if (file !== ':memory:') {
    // Shortcoming: Node 20's recursive mkdirSync never returns for a missing path under /proc
    // (a Node bug), so a data directory there hangs start-up instead of being refused.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // The file holds password and token hashes and CSRF tokens: owner only, even in a directory
    // someone made readable. SQLite gives the -wal and -shm files the same mode.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle({ client: sqlite, schema });
  try {
    migrate(db, { migrationsFolder });
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return { db, sqlite };
}
