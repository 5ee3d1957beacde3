export interface BackoffOptions {
  baseMs: number;
  factor: number;
  capMs: number;
  random: () => number;
}

/**
 * Full-jitter exponential backoff: attempt n waits a uniform random time in
 * [0, min(cap, base * factor^n)), so agents that lost the cloud together do not return in step.
 */
export class Backoff {
  private readonly options: BackoffOptions;
  private attempt = 0;

  constructor(options: BackoffOptions) {
    this.options = options;
  }

  /** The next delay; `capMs` raises or lowers the ceiling for this attempt only. */
  nextDelayMs(capMs: number = this.options.capMs): number {
    const { baseMs, factor, random } = this.options;
    const ceilingMs = Math.min(capMs, baseMs * factor ** Math.min(this.attempt, 64));
    this.attempt++;
    return Math.floor(random() * ceilingMs);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
