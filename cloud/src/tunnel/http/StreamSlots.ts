/**
 * A counting semaphore for streams on one link: `acquire` waits (in order) for a free slot,
 * gives up when the caller's signal aborts, and fails every waiter when the link closes.
 */
export class StreamSlots {
  private readonly max: number;
  private used = 0;
  private readonly waiters: {
    grant: () => void;
    fail: (error: unknown) => void;
  }[] = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxConcurrentStreams must be a positive integer, got ${max}`);
    }
    this.max = max;
  }

  /** Takes a slot at once if one is free and nobody waits before us. */
  tryAcquire(): boolean {
    if (this.used >= this.max || this.waiters.length > 0) return false;
    this.used++;
    return true;
  }

  /** Waits in line for a slot; rejects with the signal's reason if it aborts first. */
  async acquire(signal: AbortSignal): Promise<void> {
    if (this.tryAcquire()) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) {
      next.grant();
      return;
    }
    this.used--;
  }

  /** Fails every waiter; later `acquire` calls still work (the owner refuses them first). */
  closeAll(errorFor: () => unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.fail(errorFor());
  }
}
