import { DriverError } from './DriverError.ts';

/**
 * Throws unless a pending change is in the state an action needs: `rolled_back` when a rollback
 * already undid it (the caller may branch on that), `protocol_error` for any other misuse.
 */
export function requireState(
  device: string,
  action: string,
  actual: string,
  expected: string,
): void {
  if (actual === expected) return;
  const code = actual === 'rolled_back' ? 'rolled_back' : 'protocol_error';
  throw new DriverError(
    code,
    `${device}: cannot ${action} a change that is ${actual}, expected ${expected}`,
    { device },
  );
}
