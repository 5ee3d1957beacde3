import type { DriverError } from './DriverError.ts';
import type { DriverTimers } from './DriverTimers.ts';

/**
 * `work`'s result, or `late()`'s error once `timeoutMs` has passed. A result that arrives
 * after the deadline goes to `discard` (to close a channel nobody will use).
 */
export function withDeadline<T>(
  work: Promise<T>,
  deadline: { timers: DriverTimers; timeoutMs: number; late: () => DriverError },
  discard: (value: T) => void = () => undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let expired = false;
    const timer = deadline.timers.setTimeout(() => {
      expired = true;
      reject(deadline.late());
    }, deadline.timeoutMs);
    work.then(
      (value) => {
        timer.cancel();
        if (expired) discard(value);
        else resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}
