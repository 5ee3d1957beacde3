import { Sealer } from '../secrets/Sealer.ts';
import { type CloudConfig, ConfigError } from './CloudConfig.ts';

/**
 * The sealer for the configured key file (made on first start). A key file that cannot be read
 * or holds no key stops start-up with a message naming `PLUMBLINE_SEAL_KEY_FILE`. An in-memory
 * store gets an in-memory key, since nothing it seals outlives the process.
 */
export function openConfiguredSealer(config: CloudConfig): Sealer {
  if (config.dataDir === ':memory:') return Sealer.ephemeral();
  try {
    return Sealer.fromKeyFile(config.sealKeyFile);
  } catch (error) {
    throw new ConfigError(
      `PLUMBLINE_SEAL_KEY_FILE=${JSON.stringify(config.sealKeyFile)}: ` +
        `${(error as Error).message}; ` +
        'point it at a readable file holding the key that sealed this database, or a new path',
      { cause: error },
    );
  }
}
