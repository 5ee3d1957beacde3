export const backoffBaseMs = 500;
export const backoffCapMs = 20_000;

/**
 * "Full jitter" exponential backoff: a uniform delay between 0 and base·2^attempt, capped.
 * Parallel page requests that fail together then retry spread out instead of in step.
 * `attempt` counts from 0 for the first retry.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
