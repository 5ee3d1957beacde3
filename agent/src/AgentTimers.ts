export type TimerHandle = unknown;

/**
 * Every clock and timer the agent uses, so tests can drive time (vitest fake timers replace the
 * globals these defaults call) and pin the jitter through `random`.
 */
export interface AgentTimers {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** A number in [0, 1): the source of every jitter. */
  random(): number;
}

/** The globals, looked up at each call so fake timers installed later still take effect. */
export const systemTimers: AgentTimers = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};

export function withTimers(overrides: Partial<AgentTimers> | undefined): AgentTimers {
  return { ...systemTimers, ...overrides };
}
