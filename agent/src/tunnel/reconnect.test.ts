import { closeReasons } from '@plumbline/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentTestBed } from '../testing/agentTestBed.ts';
import type { CapturedLogs } from '../testing/captureLogger.ts';
import { freePort } from '../testing/freePort.ts';

const almostOne = 1 - 1e-9;
let bed: AgentTestBed;

beforeEach(async () => {
  bed = await AgentTestBed.start();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await bed.dispose();
});

/** Waits for each reconnect the agent announces, lets exactly its delay pass, and collects them. */
async function followDelays(logs: CapturedLogs, prefix: string, count: number): Promise<number[]> {
  const delays: number[] = [];
  for (let index = 1; index <= count; index++) {
    const line = await logs.waitFor(prefix, index);
    delays.push(line.delayMs as number);
    await vi.advanceTimersByTimeAsync(line.delayMs as number);
  }
  return delays;
}

describe('reconnecting', () => {
  it('backs off exponentially from 1 s to the 60 s cap while the cloud cannot be reached', async () => {
    const { stateDir } = bed.enroll(`http://127.0.0.1:${await freePort()}`);
    const { logs } = await bed.startAgent({ stateDir, timers: { random: () => almostOne } });
    const delays = await followDelays(logs, 'tunnel down', 9);
    expect(delays).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
    expect(logs.matching('tunnel down')[0]).toMatchObject({ closedBy: 'network' });
    expect(String(logs.matching('tunnel down')[0]?.detail)).toContain('ECONNREFUSED');
  });

  it('waits a random time below each ceiling (full jitter)', async () => {
    const { stateDir } = bed.enroll(`http://127.0.0.1:${await freePort()}`);
    const { logs } = await bed.startAgent({ stateDir, timers: { random: () => 0.25 } });
    expect(await followDelays(logs, 'tunnel down', 4)).toEqual([250, 500, 1000, 2000]);
  });

  it('resets the backoff after 30 s of stable connection, and not before', async () => {
    bed.peer.dropConnections = true;
    const { logs, agent } = await bed.startAgent({ timers: { random: () => almostOne } });
    expect(await followDelays(logs, 'tunnel down', 2)).toEqual([999, 1999]);
    await logs.waitFor('tunnel down', 3);

    bed.peer.dropConnections = false;
    let connecting = bed.peer.nextConnection();
    await vi.advanceTimersByTimeAsync(3999);
    let connection = await connecting;
    await agent.whenConnected();
    await vi.advanceTimersByTimeAsync(29_999);
    connecting = bed.peer.nextConnection();
    connection.terminate();
    const short = await logs.waitFor('tunnel down', 4);
    expect(short).toMatchObject({ upMs: 29_999, delayMs: 7999 });

    await vi.advanceTimersByTimeAsync(7999);
    connection = await connecting;
    await agent.whenConnected();
    await vi.advanceTimersByTimeAsync(30_000);
    connection.terminate();
    const stable = await logs.waitFor('tunnel down', 5);
    expect(stable).toMatchObject({ upMs: 30_000, delayMs: 999 });
  });

  it('after a refusal (revoked) backs off up to 5 min and says what to do', async () => {
    bed.peer.refuseWith = 'revoked';
    const { logs, agent } = await bed.startAgent({ timers: { random: () => almostOne } });
    const delays = await followDelays(logs, 'the cloud refused this agent', 11);
    expect(delays).toEqual([
      999, 1999, 3999, 7999, 15999, 31999, 63999, 127_999, 255_999, 299_999, 299_999,
    ]);
    const line = logs.matching('the cloud refused this agent')[0];
    expect(line?.msg).toContain('this agent was revoked in the cloud; enroll it again');
    expect(line).toMatchObject({ closeReason: 'revoked', code: closeReasons.revoked });
    expect(agent.status().connected).toBe(false);
  });

  it('names each refusal: unknown key, bad signature, wrong tenant', async () => {
    bed.peer.refuseWith = 'unknown_agent';
    const first = await bed.startAgent();
    expect((await first.logs.waitFor('the cloud refused this agent')).msg).toContain(
      'enroll it again with "plumbline-agent enroll --force"',
    );
    bed.peer.refuseWith = 'wrong_tenant';
    const second = await bed.startAgent();
    expect((await second.logs.waitFor('the cloud refused this agent')).msg).toContain(
      'names another tenant',
    );
    bed.peer.refuseWith = 'bad_signature';
    const third = await bed.startAgent();
    expect((await third.logs.waitFor('the cloud refused this agent')).msg).toContain(
      'could not verify this agent key',
    );
  });

  it('on goaway closes at once and dials again after exactly the delay the cloud sent', async () => {
    const connecting = bed.peer.nextConnection();
    const { logs, agent } = await bed.startAgent({ timers: { random: () => almostOne } });
    const connection = await connecting;
    await agent.whenConnected();

    const next = bed.peer.nextConnection();
    connection.send({ type: 'goaway', reconnectInMs: 7_000, reason: 'rolling restart' });
    expect(await connection.closed).toEqual({
      code: closeReasons.going_away,
      reason: 'going_away',
    });
    await logs.waitFor('tunnel closed on goaway');
    expect(agent.status()).toMatchObject({ linkPhase: 'waiting', nextAttemptInMs: 7_000 });

    await vi.advanceTimersByTimeAsync(6_999);
    expect(agent.status()).toMatchObject({ linkPhase: 'waiting', nextAttemptInMs: 1 });
    await vi.advanceTimersByTimeAsync(1);
    await next;
    await agent.whenConnected();
  });
});
