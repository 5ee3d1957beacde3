/** The command line was wrong; the message says how, and `plumbline-cloud help` shows usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
