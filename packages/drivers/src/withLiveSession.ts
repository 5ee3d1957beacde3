import type { CliSession } from './CliSession.ts';
import { DriverError } from './DriverError.ts';

/**
 * Runs `task` on `session` while it is open; once it is closed (lost, or closed by a caller
 * that went away), on a new session from `reopen`, closed again afterwards. Rollbacks that a
 * driver keeps itself (NX-OS, FRR) need this: the session that committed may be gone by the
 * time the deadline passes. `manualStep` tells a person what to do when no session can be had.
 */
export async function withLiveSession<T>(
  session: CliSession,
  reopen: (() => Promise<CliSession>) | undefined,
  manualStep: string,
  task: (live: CliSession, reopened: boolean) => Promise<T>,
): Promise<T> {
  if (!session.closed) return task(session, false);
  if (reopen === undefined) {
    throw new DriverError(
      'connection_lost',
      `${session.device}: the session is closed and the driver was given no way to open` +
        ` another; ${manualStep}`,
      { device: session.device },
    );
  }
  const fresh = await reopen();
  try {
    return await task(fresh, true);
  } finally {
    await fresh.close();
  }
}
