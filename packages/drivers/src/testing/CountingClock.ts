import { ManualClock } from '@plumbline/devicesim';

/**
 * A manual clock that also tells a test when a deadline has been armed, so that it moves time
 * only after the code under test is waiting, never by guessing with a sleep.
 */
export class CountingClock extends ManualClock {
  /** Timers set so far, cancelled ones included. */
  timersSet = 0;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  override setTimeout(callback: () => void, delayMs: number): { cancel(): void } {
    const timer = super.setTimeout(callback, delayMs);
    this.timersSet += 1;
    for (const waiter of this.waiters.filter((w) => w.count <= this.timersSet)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return timer;
  }

  /** Resolves once `count` timers in all have been set. */
  untilTimersSet(count: number): Promise<void> {
    if (this.timersSet >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}
