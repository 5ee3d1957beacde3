/**
 * Timers for the deadlines the drivers keep themselves (connect, command, confirm). Tests pass
 * a manual clock so that a deadline passes without waiting for it.
 */
export interface DriverTimers {
  setTimeout(callback: () => void, delayMs: number): { cancel(): void };
}

/**
 * Node's timers, unref'd: a pending deadline alone does not keep the process alive. A process
 * that exits therefore never runs its driver-side rollbacks (see the NX-OS and FRR drivers).
 */
export const realTimers: DriverTimers = {
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
