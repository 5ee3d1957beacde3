import { join } from 'node:path';

export function identityPath(stateDir: string): string {
  return join(stateDir, 'identity.json');
}
