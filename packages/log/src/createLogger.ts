import { type DestinationStream, type Logger, pino } from 'pino';
import { redact } from './redact.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Service or program name, logged as `name` on every line. */
  name: string;
  /** pino level; defaults to `LOG_LEVEL` from the environment, then `info`. */
  level?: string;
  /** Where the JSON lines go; standard output when absent. */
  destination?: DestinationStream;
}

/**
 * A pino logger that writes one JSON object per line with secrets redacted at any depth.
 *
 * Redaction runs on each finished line, after pino has merged call fields, child bindings,
 * serialized errors and the message: it is the one place every path goes through. pino's own
 * `redact` option needs every path spelled out and cannot match a key at any depth. The cost is
 * one JSON parse and stringify per line, which is small beside the I/O of writing it.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    redactingDestination(target),
  );
}

/** A child logger for one component, so every line it writes says where it came from. */
export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child({ component });
}

function redactingDestination(target: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      target.write(`${JSON.stringify(redact(JSON.parse(line)))}\n`);
    },
  };
}
