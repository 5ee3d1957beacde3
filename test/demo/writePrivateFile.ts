import { chmodSync, writeFileSync } from 'node:fs';

/** Writes a file only its owner may read (0600), also when it existed with wider rights. */
export function writePrivateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}
