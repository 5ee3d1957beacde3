import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { AgentIdentity } from './AgentIdentity.ts';
import { identityPath } from './identityPath.ts';

/**
 * Writes the identity atomically: a 0600 temporary file beside it, flushed, then renamed over
 * the old one, so a crash leaves either the old identity or the new, never half of one. The
 * state directory is made (or narrowed to) 0700.
 */
export function writeIdentity(stateDir: string, identity: AgentIdentity): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const target = identityPath(stateDir);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(identity, null, 2)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, target);
  syncDirectory(stateDir);
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
