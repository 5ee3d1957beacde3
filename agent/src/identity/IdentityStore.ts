import type { AgentIdentity } from './AgentIdentity.ts';
import { readIdentity } from './readIdentity.ts';
import { writeIdentity } from './writeIdentity.ts';

/** The identity in use, written through to disk on every change. */
export class IdentityStore {
  readonly stateDir: string;
  private identity: AgentIdentity;

  private constructor(stateDir: string, identity: AgentIdentity) {
    this.stateDir = stateDir;
    this.identity = identity;
  }

  static load(stateDir: string): IdentityStore {
    return new IdentityStore(stateDir, readIdentity(stateDir));
  }

  current(): AgentIdentity {
    return this.identity;
  }

  /** Persists first, then switches: memory never holds a key the disk does not. */
  replace(next: AgentIdentity): void {
    writeIdentity(this.stateDir, next);
    this.identity = next;
  }
}
