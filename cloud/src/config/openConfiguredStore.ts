import { join } from 'node:path';
import { databaseFileName, Store } from '../store/Store.ts';
import { type CloudConfig, ConfigError } from './CloudConfig.ts';

/**
 * Errors that mean the data directory itself is unusable (missing permission, a file where a
 * directory should be, a file that is not a database), as opposed to a bug or a failed migration.
 */
const unusableDirectory = /^(E[A-Z]+|SQLITE_(CANTOPEN|NOTADB|READONLY|PERM))$/;

/**
 * Opens the store in the configured data directory. A directory that cannot hold the database
 * stops start-up with a message naming `PLUMBLINE_DATA_DIR`, not a stack trace.
 */
export function openConfiguredStore(config: CloudConfig): Store {
  try {
    return Store.open({ dataDir: config.dataDir });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !unusableDirectory.test(code)) throw error;
    const file = join(config.dataDir, databaseFileName);
    throw new ConfigError(
      `PLUMBLINE_DATA_DIR=${JSON.stringify(config.dataDir)}: cannot open the database ${file}: ` +
        `${(error as Error).message}; point it at a directory this user can write`,
      { cause: error },
    );
  }
}
