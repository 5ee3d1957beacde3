import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned Nautobot stack. Changing a pin changes the cache key, so a new venv is built. */
export const NAUTOBOT_VERSION = '3.2.7';
export const GOLDEN_CONFIG_VERSION = '3.0.8';

export const labSourceDir = dirname(fileURLToPath(import.meta.url));
export const nautobotConfigFile = join(labSourceDir, 'nautobot', 'nautobot_config.py');
export const requirementsFile = join(labSourceDir, 'nautobot', 'requirements.txt');
export const constraintsFile = join(labSourceDir, 'nautobot', 'constraints.txt');

/**
 * Where the lab keeps what outlives a clone: the venv, logs, pid files and lab.json. Outside the
 * clone on purpose, so that every clone on this machine shares one warm cache and one lab.
 */
export const cacheDir =
  process.env.PLUMBLINE_LAB_CACHE ?? join(homedir(), '.cache', 'plumbline-lab');
export const runDir = join(cacheDir, 'run');
export const labStateFile = join(runDir, 'lab.json');

/**
 * Short hash of everything that decides what the venv and the migrated database contain. The
 * cache directory is part of it because the template's admin password is kept in that
 * directory: two caches on one machine must not share a template database.
 */
export function nautobotCacheKey(): string {
  const hash = createHash('sha256');
  hash.update(cacheDir);
  hash.update(readFileSync(requirementsFile));
  hash.update(readFileSync(constraintsFile));
  hash.update(readFileSync(nautobotConfigFile));
  return hash.digest('hex').slice(0, 12);
}

export function venvDir(key: string): string {
  return join(cacheDir, `venv-${key}`);
}

/** NAUTOBOT_ROOT: media, Git checkouts, and the collected static files uWSGI serves. */
export function nautobotRootDir(key: string): string {
  return join(cacheDir, `nautobot-root-${key}`);
}

export function templateDatabaseName(key: string): string {
  return `plumbline_tpl_${key}`;
}

/** The database the running lab uses; recreated from the template on every start. */
export const labDatabaseName = 'plumbline_lab';
