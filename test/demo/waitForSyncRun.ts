import { z } from 'zod';
import type { DemoApi } from './DemoApi.ts';
import { DemoError } from './DemoError.ts';

const runSchema = z.object({
  id: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  mode: z.string(),
  progress: z.object({ fetched: z.number(), total: z.number() }),
  counts: z.record(z.string(), z.number()),
  error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  durationMs: z.number().nullable(),
});
const runAnswer = z.object({ run: runSchema });

export type SyncRunView = z.output<typeof runSchema>;

const pollEveryMs = 250;

/**
 * Reads the run through the API until it has ended, as a person watching its progress would.
 * Polling, because the API has no way to wait for a run.
 */
export async function waitForSyncRun(
  api: DemoApi,
  integrationId: string,
  runId: string,
  timeoutMs: number,
): Promise<SyncRunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { run } = await api.call(
      'GET',
      `/integrations/${integrationId}/sync-runs/${runId}`,
      runAnswer,
    );
    if (run.state !== 'queued' && run.state !== 'running') return run;
    if (Date.now() > deadline) {
      throw new DemoError(
        'sync_timeout',
        `expected sync run ${runId} to end within ${timeoutMs} ms; it is ${run.state} with ` +
          `${run.progress.fetched} of ${run.progress.total} objects fetched`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
}
