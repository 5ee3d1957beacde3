import { createLogger, type Logger } from '@plumbline/log';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * A real pino logger (with the redaction every logger has) whose lines are kept for tests, and
 * a way to await a line: tests wait on what the agent reports, never on the clock.
 */
export interface CapturedLogs {
  logger: Logger;
  lines: LogLine[];
  /** Lines whose message starts with `prefix`. */
  matching(prefix: string): LogLine[];
  /** Settles when `count` lines starting with `prefix` have been written. */
  waitFor(prefix: string, count?: number): Promise<LogLine>;
  text(): string;
}

export function captureLogger(): CapturedLogs {
  const lines: LogLine[] = [];
  let waiters: Array<{ prefix: string; count: number; resolve: (line: LogLine) => void }> = [];
  const matching = (prefix: string) => lines.filter((line) => line.msg?.startsWith(prefix));
  const logger = createLogger({
    name: 'agent-test',
    level: 'debug',
    destination: {
      write(text: string) {
        lines.push(JSON.parse(text) as LogLine);
        const pending = waiters;
        waiters = [];
        for (const waiter of pending) settle(waiter);
      },
    },
  });
  const settle = (waiter: (typeof waiters)[number]) => {
    const found = matching(waiter.prefix);
    const line = found[waiter.count - 1];
    if (line !== undefined) waiter.resolve(line);
    else waiters.push(waiter);
  };
  return {
    logger,
    lines,
    matching,
    waitFor: (prefix, count = 1) => new Promise((resolve) => settle({ prefix, count, resolve })),
    text: () => lines.map((line) => JSON.stringify(line)).join('\n'),
  };
}
