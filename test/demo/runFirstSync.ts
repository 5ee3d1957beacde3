import { z } from 'zod';
import type { DemoApi } from './DemoApi.ts';
import { DemoError } from './DemoError.ts';
import { type SyncRunView, waitForSyncRun } from './waitForSyncRun.ts';

const startAnswer = z
  .union([z.object({ run: z.object({ id: z.string() }) }), z.object({ runId: z.string() })])
  .transform((body) => ('run' in body ? body.run.id : body.runId));
const devicesAnswer = z.object({
  devices: z.array(z.object({ id: z.string(), hostname: z.string() })),
});

export interface FirstSync {
  run: SyncRunView;
  /** A device of the mirror, read back through the API, for the guide's examples. */
  exampleDevice: { id: string; hostname: string } | undefined;
}

/**
 * A full sync through the API, waited for; when the schedule started one meanwhile (409), that
 * run is waited for instead. Anything but success stops the demo with the run's error.
 */
export async function runFirstSync(
  api: DemoApi,
  integrationId: string,
  timeoutMs: number,
): Promise<FirstSync> {
  const path = `/integrations/${integrationId}/sync`;
  const started = await api.send('POST', path, { mode: 'full' });
  if (started.status !== 202 && started.status !== 409) {
    const body = JSON.stringify(started.json).slice(0, 300);
    throw new DemoError('cloud_refused', `POST ${path} answered ${started.status} ${body}`);
  }
  const runId = startAnswer.parse(started.json);
  const run = await waitForSyncRun(api, integrationId, runId, timeoutMs);
  if (run.state !== 'succeeded') {
    throw new DemoError(
      'sync_failed',
      `expected the first sync to succeed, found ${run.state}: ` +
        `${run.error?.code ?? ''} ${run.error?.message ?? ''}`,
    );
  }

  const { devices } = await api.call(
    'GET',
    `/integrations/${integrationId}/devices?limit=1000`,
    devicesAnswer,
  );
  const [exampleDevice] = devices.sort((a, b) => a.hostname.localeCompare(b.hostname));
  return { run, exampleDevice };
}
