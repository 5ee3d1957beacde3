/**
 * Slows password guessing: after `maxFailures` wrong passwords for one email within
 * `windowMs`, sign-in for that email is refused until the window has passed since the first of
 * them. Kept in memory, per process: a restart forgets it, and replicas do not share it.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; firstMs: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: { maxFailures?: number; windowMs?: number; now: () => number }) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.now = options.now;
  }

  /** Milliseconds until `email` may try again; 0 when it may try now. */
  retryAfterMs(email: string): number {
    const entry = this.current(email);
    if (!entry || entry.count < this.maxFailures) return 0;
    return entry.firstMs + this.windowMs - this.now();
  }

  recordFailure(email: string): void {
    const key = email.toLowerCase();
    const entry = this.current(key);
    if (entry) entry.count += 1;
    else this.failures.set(key, { count: 1, firstMs: this.now() });
    if (this.failures.size > 100_000) this.forgetExpired();
  }

  recordSuccess(email: string): void {
    this.failures.delete(email.toLowerCase());
  }

  private current(email: string) {
    const key = email.toLowerCase();
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.firstMs >= this.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  private forgetExpired(): void {
    for (const key of this.failures.keys()) this.current(key);
  }
}
