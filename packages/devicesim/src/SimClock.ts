/** Timers for device-side deadlines, injectable so tests drive them without sleeping. */
export interface SimClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): { cancel(): void };
}

export const realClock: SimClock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** A clock that moves only when a test calls `advance`; due timers run in time order. */
export class ManualClock implements SimClock {
  private currentMs = 0;
  private timers: { dueMs: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.currentMs;
  }

  setTimeout(callback: () => void, delayMs: number): { cancel(): void } {
    const timer = { dueMs: this.currentMs + delayMs, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  advance(deltaMs: number): void {
    const targetMs = this.currentMs + deltaMs;
    for (;;) {
      const due = this.timers
        .filter((timer) => !timer.cancelled && timer.dueMs <= targetMs)
        .sort((a, b) => a.dueMs - b.dueMs)[0];
      if (due === undefined) break;
      this.currentMs = due.dueMs;
      due.cancelled = true;
      due.callback();
    }
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    this.currentMs = targetMs;
  }
}
