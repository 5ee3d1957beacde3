import { closeReasons } from '@plumbline/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TunnelSettings } from './TunnelSettings.ts';
import { RawAgent } from './testing/rawAgent.ts';
import { startTunnelTestCloud, type TunnelTestCloud } from './testing/startTunnelTestCloud.ts';

/**
 * Pings, round trips and the dead-peer deadline on fake timers and a fake Date (the hub's
 * clock): real sockets carry the frames, no test sleeps.
 */
describe('tunnel liveness', () => {
  let test: TunnelTestCloud | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await test?.dispose();
    test = undefined;
  });

  async function connectWith(random: () => number, settings: Partial<TunnelSettings> = {}) {
    test = await startTunnelTestCloud({ tunnel: { random, settings } });
    const acme = await test.addTenant('acme');
    const identity = await acme.enroll('edge');
    const raw = await RawAgent.connect(test.cloud.url, identity);
    return { raw, identity, acme, hub: test.cloud.hub };
  }

  /** A round trip the hub answers, so every frame sent before it has been handled. */
  async function settle(raw: RawAgent): Promise<void> {
    const pongs = raw.all('pong').length;
    raw.send({ type: 'ping', sentAtMs: Date.now() });
    await raw.next('pong', pongs);
  }

  it('pings every 20 s with jitter of up to 20 % and records the round trip', async () => {
    const { raw, identity, acme, hub } = await connectWith(() => 0);
    // random 0 is the earliest the jitter allows: 20 s less 20 %.
    await vi.advanceTimersByTimeAsync(15_999);
    expect(raw.all('ping')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const ping = await raw.next('ping');

    await vi.advanceTimersByTimeAsync(150);
    raw.send({ type: 'pong', pingSentAtMs: ping.sentAtMs });
    await settle(raw);
    expect((await hub.getAgent(acme.id, identity.agentId)).rttMs).toBe(150);

    await vi.advanceTimersByTimeAsync(16_000);
    await raw.next('ping', 1);
  });

  it('waits at most 24 s for a ping when the jitter draws its top', async () => {
    const { raw } = await connectWith(() => 0.999_999);
    await vi.advanceTimersByTimeAsync(23_999);
    expect(raw.all('ping')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await raw.next('ping');
  });

  it('answers an agent ping with a pong that carries its time', async () => {
    const { raw } = await connectWith(() => 0.5);
    raw.send({ type: 'ping', sentAtMs: 1234 });
    expect(await raw.next('pong')).toEqual({ type: 'pong', pingSentAtMs: 1234 });
  });

  it('closes dead_peer after 45 s without any frame from the agent', async () => {
    const { raw } = await connectWith(() => 0.5);
    await vi.advanceTimersByTimeAsync(44_999);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    await vi.advanceTimersByTimeAsync(1);
    expect(await raw.closed).toEqual({ code: closeReasons.dead_peer, reason: 'dead_peer' });
  });

  it('counts the deadline from the last frame the agent sent', async () => {
    const { raw } = await connectWith(() => 0.5);
    await vi.advanceTimersByTimeAsync(30_000);
    await settle(raw);
    await vi.advanceTimersByTimeAsync(44_999);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    await vi.advanceTimersByTimeAsync(1);
    expect(await raw.closed).toEqual({ code: closeReasons.dead_peer, reason: 'dead_peer' });
  });

  it('sends goaway with no delay once a connection reaches its maximum age (±10 %)', async () => {
    const { raw } = await connectWith(() => 0, {
      maxConnectionAgeMs: 100_000,
      deadPeerMs: 600_000,
    });
    await vi.advanceTimersByTimeAsync(89_999);
    expect(raw.all('goaway')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await raw.next('goaway')).toMatchObject({ reconnectInMs: 0 });
  });

  it('marks the agent offline with its last contact once the connection is gone', async () => {
    const { raw, identity, acme, hub } = await connectWith(() => 0.5, { deadPeerMs: 1_000 });
    const connectedAt = Date.now();
    await vi.advanceTimersByTimeAsync(1_000);
    await raw.closed;
    await vi.waitFor(async () => {
      const agent = await hub.getAgent(acme.id, identity.agentId);
      expect(agent).toMatchObject({
        state: 'offline',
        connectedSince: null,
        lastSeenAt: connectedAt,
      });
    });
  });
});

describe('tunnel liveness settings', () => {
  it('takes the ping interval and dead-peer deadline from the environment and tells the agent', async () => {
    const test = await startTunnelTestCloud({
      env: { PLUMBLINE_TUNNEL_PING_INTERVAL_MS: '5000', PLUMBLINE_TUNNEL_DEAD_PEER_MS: '12000' },
    });
    try {
      const acme = await test.addTenant('acme');
      const raw = await RawAgent.connect(test.cloud.url, await acme.enroll('edge'));
      expect(await raw.next('welcome')).toMatchObject({ pingIntervalMs: 5000, deadPeerMs: 12000 });
      await raw.close();
    } finally {
      await test.dispose();
    }
  });
});

describe('goaway and drain', () => {
  it('spreads reconnects: each agent gets a reconnectInMs in [0, spreadMs)', async () => {
    const test = await startTunnelTestCloud();
    try {
      const acme = await test.addTenant('acme');
      const agents = await Promise.all(
        Array.from({ length: 12 }, async (_, i) =>
          RawAgent.connect(test.cloud.url, await acme.enroll(`edge-${i}`)),
        ),
      );
      test.cloud.hub.goawayAll({ spreadMs: 60_000 });
      const delays = await Promise.all(
        agents.map(async (raw) => (await raw.next('goaway')).reconnectInMs),
      );
      for (const delay of delays) expect(delay >= 0 && delay < 60_000).toBe(true);
      expect(new Set(delays).size).toBeGreaterThan(1);
      for (const raw of agents) expect(raw.ws.readyState).toBe(raw.ws.OPEN);
      await Promise.all(agents.map((raw) => raw.close()));
    } finally {
      await test.dispose();
    }
  });

  it('on stop sends goaway, closes going_away and only then closes the store', async () => {
    const test = await startTunnelTestCloud();
    const acme = await test.addTenant('acme');
    const raw = await RawAgent.connect(test.cloud.url, await acme.enroll('edge'));
    const order: string[] = [];
    void raw.next('goaway').then(() => order.push('goaway'));
    void raw.closed.then(() => order.push('closed'));

    await test.stop();
    expect(await raw.closed).toEqual({ code: closeReasons.going_away, reason: 'going_away' });
    expect(order).toEqual(['goaway', 'closed']);
    await expect(test.cloud.store.ping()).rejects.toThrow();
    await test.dispose();
  });
});
