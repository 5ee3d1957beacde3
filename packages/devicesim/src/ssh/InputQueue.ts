const maxPendingChars = 1024 * 1024;

/**
 * Keystrokes received but not yet read by the shell (type-ahead), handed out one at a time.
 * More than 1 MiB of unread input is dropped: a client that floods the device loses input, as
 * it would on a real terminal line, and the server's memory stays bounded.
 */
export class InputQueue {
  private pending = '';
  private waiter: ((char: string | undefined) => void) | undefined;
  private ended = false;

  push(data: string): void {
    if (this.ended || data === '') return;
    this.pending += data.slice(0, maxPendingChars - this.pending.length);
    this.wake();
  }

  /** The next character, or undefined once the channel has closed. */
  next(): Promise<string | undefined> {
    if (this.pending !== '' || this.ended) return Promise.resolve(this.take());
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  end(): void {
    this.ended = true;
    this.pending = '';
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    waiter(this.take());
  }

  private take(): string | undefined {
    if (this.pending === '') return undefined;
    const char = this.pending[0];
    this.pending = this.pending.slice(1);
    return char;
  }
}
