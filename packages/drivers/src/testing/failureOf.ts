import { type DriverError, isDriverError } from '../DriverError.ts';

/** The DriverError `promise` rejects with; anything else (or success) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<DriverError> {
  const outcome = await promise.then(
    () => new Error('expected a DriverError, but the call succeeded'),
    (error: unknown) => error,
  );
  if (isDriverError(outcome)) return outcome;
  throw outcome instanceof Error ? outcome : new Error(`expected a DriverError: ${outcome}`);
}
