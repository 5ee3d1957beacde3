import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollAgent } from '@plumbline/agent';
import { createLogger } from '@plumbline/log';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentProcess } from '../support/AgentProcess.ts';
import { addTenantAdmin } from '../support/addTenantAdmin.ts';
import { createEnrollmentToken } from '../support/createEnrollmentToken.ts';
import { ledgerPushJob, readLedger } from '../support/ledgerPushJob.ts';
import { startCloudAt } from '../support/startCloudAt.ts';
import { waitFor } from '../support/waitFor.ts';

/**
 * What the chaos test cannot show: an agent killed (SIGKILL, as by a power cut or the OOM
 * killer) in the middle of a job that changes a device. The agent runs in a child process;
 * each execution is written to a ledger file before the job works, so it is counted even
 * though the process dies.
 */
describe('an agent killed in the middle of a push', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunnel-crash-'));
  const logger = createLogger({ name: 'tunnel-crash', level: 'silent' });
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not run it again (interrupted); a push it had queued and new ones run once', async () => {
    const cloud = await startCloudAt(join(dir, 'cloud'), logger, {
      tunnel: { jobKinds: [ledgerPushJob] },
    });
    stops.push(() => cloud.stop());
    const tenant = await addTenantAdmin(cloud.store, 'crash');
    const stateDir = join(dir, 'agent');
    const ledger = join(dir, 'ledger.txt');
    const token = await createEnrollmentToken(cloud.url, tenant);
    const { agentId } = await enrollAgent({ cloudUrl: cloud.url, token, stateDir });
    let agent = await AgentProcess.start(stateDir, ledger);
    stops.push(() => agent.stop());
    const push = (index: number, holdMs: number) =>
      cloud.hub.jobs.enqueue(tenant.tenantId, agentId, ledgerPushJob, { index, holdMs });
    const outcomeOf = (jobId: string) => cloud.hub.jobs.wait(tenant.tenantId, jobId);

    const before = await push(0, 0);
    expect(await outcomeOf(before.jobId)).toEqual({ ok: true, result: { index: 0 } });
    const cutShort = await push(1, 600_000);
    await waitFor('the long push to start', () => readLedger(ledger).get(1) === 1);
    // The agent runs one job at a time: this one waits in its queue, acknowledged, never begun.
    const queued = await push(3, 0);
    await waitFor('the agent to acknowledge the queued push', async () => {
      return (await cloud.hub.jobs.get(tenant.tenantId, queued.jobId)).state === 'acked';
    });
    await agent.kill();
    const whileDown = await push(2, 0);
    agent = await AgentProcess.start(stateDir, ledger);

    const interrupted = await outcomeOf(cutShort.jobId);
    expect(interrupted.ok).toBe(false);
    expect(interrupted.ok === false && interrupted.error.code).toBe('interrupted');
    expect(await outcomeOf(queued.jobId)).toEqual({ ok: true, result: { index: 3 } });
    expect(await outcomeOf(whileDown.jobId)).toEqual({ ok: true, result: { index: 2 } });
    expect(readLedger(ledger)).toEqual(
      new Map([
        [0, 1],
        [1, 1],
        [3, 1],
        [2, 1],
      ]),
    );
  });
});
