const maxPendingChars = 1024 * 1024;

/**
 * Keystrokes received but not yet read by the shell (type-ahead), handed out one at a time.
 * More than 1 MiB of unread input is dropped: a client that floods the device loses input, as
 * it would on a real terminal line, and the server's memory stays bounded.
 */
export class InputQueue {
  private pending = '';
  /** Characters of `pending` already handed out; the string is cut only now and then. */
  private offset = 0;
  private waiter: ((char: string | undefined) => void) | undefined;
  private ended = false;

  push(data: string): void {
    if (this.ended || data === '') return;
    this.compact();
    this.pending += data.slice(0, maxPendingChars - this.pending.length);
    this.wake();
  }

  /** The next character, or undefined once the channel has closed. */
  next(): Promise<string | undefined> {
    if (this.offset < this.pending.length || this.ended) return Promise.resolve(this.take());
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** The next character if one has arrived already; undefined when none is waiting. */
  takeNow(): string | undefined {
    return this.take();
  }

  end(): void {
    this.ended = true;
    this.pending = '';
    this.offset = 0;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    waiter(this.take());
  }

  private take(): string | undefined {
    if (this.offset >= this.pending.length) return undefined;
    const char = this.pending[this.offset];
    this.offset += 1;
    return char;
  }

  private compact(): void {
    if (this.offset === 0) return;
    this.pending = this.pending.slice(this.offset);
    this.offset = 0;
  }
}
