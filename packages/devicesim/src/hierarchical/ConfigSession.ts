import type { ConfigTree } from './ConfigTree.ts';

/**
 * A named configuration session (EOS, NX-OS): a candidate copy of running that config commands
 * edit until it is committed or aborted. It outlives the login that opened it, as on devices.
 *
 * Known shortcoming: a commit replaces running with the candidate, so a change made to running
 * by another login after the session began is lost at commit. EOS warns in that case and
 * NX-OS replays the session's commands instead; neither is modelled.
 */
export interface ConfigSession {
  readonly name: string;
  candidate: ConfigTree;
  state: 'pending' | 'pendingCommitTimer' | 'completed' | 'aborted';
  /** While `pendingCommitTimer`: running before the commit, and the rollback timer. */
  rollback?: { snapshot: ConfigTree; timer: { cancel(): void }; dueMs: number };
}
