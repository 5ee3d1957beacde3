import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentTestBed } from '../testing/agentTestBed.ts';

let bed: AgentTestBed;

beforeEach(async () => {
  bed = await AgentTestBed.start();
});

afterEach(async () => {
  await bed.dispose();
});

describe('the health server', () => {
  it('answers /readyz 200 only while the link is authenticated, with the link and job figures', async () => {
    bed.peer.dropConnections = true;
    const { agent, logs } = await bed.startAgent({ healthPort: 0 });
    const base = `http://127.0.0.1:${agent.health?.port}`;
    await logs.waitFor('tunnel down');

    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ connected: false, linkPhase: 'waiting' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    bed.peer.dropConnections = false;
    const connecting = bed.peer.nextConnection();
    await agent.whenConnected();
    const connection = await connecting;
    connection.send({ type: 'ping', sentAtMs: 1 });
    await connection.waitFor('pong');
    const up = await fetch(`${base}/readyz`);
    expect(up.status).toBe(200);
    const body = (await up.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      connected: true,
      queuedJobs: 0,
      runningJobs: 0,
      oldestUnackedJobAgeMs: null,
      reconnects: expect.any(Number),
    });
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['rttMs', 'lastPongAgoMs', 'clockOffsetMs']),
    );

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('plumbline_agent_link_up 1');
    expect(metrics).toContain('plumbline_agent_link_state{state="connected"} 1');
    expect(metrics).toMatch(/plumbline_agent_reconnects_total\{reason="network"\} \d+/);
    expect(metrics).toContain('plumbline_agent_clock_offset_seconds');

    const dropped = logs.matching('tunnel down').length + 1;
    connection.terminate();
    await logs.waitFor('tunnel down', dropped);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('counts finished jobs by kind and outcome', async () => {
    const connecting = bed.peer.nextConnection();
    const { agent } = await bed.startAgent({ healthPort: 0 });
    const connection = await connecting;
    await agent.whenConnected();
    connection.send({
      type: 'job',
      job: { id: 'j-1', seq: 1, kind: 'noop', params: {}, timeoutMs: 5_000, issuedAtMs: 1 },
    });
    await connection.waitFor('job.result');
    const metrics = await (await fetch(`http://127.0.0.1:${agent.health?.port}/metrics`)).text();
    expect(metrics).toContain('plumbline_agent_jobs_total{kind="noop",outcome="ok"} 1');
  });
});
