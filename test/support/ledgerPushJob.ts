import { appendFileSync, readFileSync } from 'node:fs';
import type { JobHandler } from '@plumbline/agent';
import { defineJobKind } from '@plumbline/proto';
import { z } from 'zod';

/**
 * A mutating job kind for tests whose agent runs in another process: each execution appends
 * the job's `index` to a ledger file before it works, so executions are counted even when that
 * process is killed mid-job. `holdMs` is how long it then works (aborted by the job's signal).
 */
export const ledgerPushJob = defineJobKind({
  kind: 'test.ledger-push',
  params: z.object({
    index: z.number().int().nonnegative(),
    holdMs: z.number().int().min(0).max(600_000),
  }),
  result: z.object({ index: z.number().int() }),
  mutates: true,
  defaultTimeoutMs: 600_000,
});

export function ledgerPushHandler(
  ledgerFile: string,
): JobHandler<z.infer<typeof ledgerPushJob.params>, { index: number }> {
  return async ({ index, holdMs }, { signal }) => {
    appendFileSync(ledgerFile, `${index}\n`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, holdMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
    return { index };
  };
}

/** How many times each index was executed, from the ledger file (empty if none yet). */
export function readLedger(ledgerFile: string): Map<number, number> {
  const counts = new Map<number, number>();
  let text = '';
  try {
    text = readFileSync(ledgerFile, 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const index = Number(line);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}
