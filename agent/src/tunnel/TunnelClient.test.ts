import { closeReasons, verifyPayload } from '@plumbline/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentTestBed } from '../testing/agentTestBed.ts';

let bed: AgentTestBed;

beforeEach(async () => {
  bed = await AgentTestBed.start();
});

afterEach(async () => {
  vi.useRealTimers();
  await bed.dispose();
});

/** Timers and Date are fake; sockets and setImmediate stay real, so I/O still flows. */
function useFakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

describe('handshake', () => {
  it('answers hello with an auth signed over the challenge and connection, then is connected', async () => {
    const connecting = bed.peer.nextConnection();
    const { agent, agentId } = await bed.startAgent({ readOnly: true });
    const connection = await connecting;
    const auth = await connection.authenticated;
    await agent.whenConnected();

    expect(auth).toMatchObject({
      agentId,
      tenantId: 'tenant-1',
      challenge: connection.challenge,
      connectionId: connection.connectionId,
      version: 1,
      readOnly: true,
    });
    const payload = {
      purpose: 'plumbline.auth.v1',
      challenge: connection.challenge,
      connectionId: connection.connectionId,
      version: 1,
      agentId,
      tenantId: 'tenant-1',
      publicKey: auth.publicKey,
    };
    expect(verifyPayload(payload, auth.signature, auth.publicKey)).toBe(true);
    expect(verifyPayload({ ...payload, challenge: 'other' }, auth.signature, auth.publicKey)).toBe(
      false,
    );
    expect(agent.status()).toMatchObject({ connected: true, linkPhase: 'connected' });
  });

  it('records the clock offset from serverTimeMs without letting it affect auth', async () => {
    useFakeClock();
    vi.setSystemTime(1_000_000);
    const connecting = bed.peer.nextConnection();
    const { agent } = await bed.startAgent();
    const connection = await connecting;
    // The peer's hello said 1_000_000; the agent's clock now runs 90 s behind.
    vi.setSystemTime(1_000_000 - 90_000);
    await connection.authenticated;
    await agent.whenConnected();
    expect(agent.status().clockOffsetMs).toBe(90_000);
  });

  it('closes with version_unsupported when the cloud offers no version it speaks', async () => {
    bed.peer.versions = [99];
    const connecting = bed.peer.nextConnection();
    const { agent, logs } = await bed.startAgent();
    const connection = await connecting;
    expect((await connection.closed).code).toBe(closeReasons.version_unsupported);
    await logs.waitFor('the cloud refused this agent');
    expect(agent.status().connected).toBe(false);
  });
});

describe('hostile frames from the cloud', () => {
  async function connected() {
    const connecting = bed.peer.nextConnection();
    const started = await bed.startAgent();
    await started.agent.whenConnected();
    return { ...started, connection: await connecting };
  }

  it('closes with bad_frame on a message that is not JSON', async () => {
    const { agent, connection, logs } = await connected();
    connection.sendRaw('{not json');
    expect(await connection.closed).toEqual({ code: closeReasons.bad_frame, reason: 'bad_frame' });
    await logs.waitFor('tunnel down');
    expect(agent.status().lastDisconnect?.reason).toBe('bad_frame');
  });

  it('closes with bad_frame on a frame outside the schema', async () => {
    const { connection } = await connected();
    connection.sendRaw(JSON.stringify({ type: 'job', job: { id: 'x' } }));
    expect((await connection.closed).code).toBe(closeReasons.bad_frame);
  });

  it('closes with bad_frame on a second hello after the handshake', async () => {
    const { connection } = await connected();
    connection.send({
      type: 'hello',
      versions: [1],
      connectionId: 'again',
      challenge: 'again',
      serverTimeMs: 1,
    });
    expect((await connection.closed).code).toBe(closeReasons.bad_frame);
  });

  it('closes with bad_frame on binary data that is not stream data', async () => {
    const { connection } = await connected();
    connection.sendRaw(Buffer.from([9, 9, 9]));
    expect((await connection.closed).code).toBe(closeReasons.bad_frame);
  });

  it('drops a message larger than maxFrameBytes (ws answers 1009) and reports frame_too_large', async () => {
    const { agent, connection, logs } = await connected();
    connection.sendRaw('x'.repeat(1024 * 1024 + 1));
    expect((await connection.closed).code).toBe(1009);
    await logs.waitFor('tunnel down');
    expect(agent.status().lastDisconnect?.reason).toBe('frame_too_large');
  });

  it('closes with bad_frame when a job arrives before welcome', async () => {
    bed.peer.sendWelcome = false;
    const connecting = bed.peer.nextConnection();
    const { agent } = await bed.startAgent();
    const connection = await connecting;
    await connection.authenticated;
    connection.send({
      type: 'job',
      job: { id: 'j1', seq: 1, kind: 'noop', params: {}, timeoutMs: 1000, issuedAtMs: 1 },
    });
    expect((await connection.closed).code).toBe(closeReasons.bad_frame);
    expect(agent.status().connected).toBe(false);
  });
});

describe('liveness', () => {
  it('pings about every 20 s ±20 % and reports the round trip', async () => {
    useFakeClock();
    const connecting = bed.peer.nextConnection();
    const { agent } = await bed.startAgent({ timers: { random: () => 0 } });
    const connection = await connecting;
    await agent.whenConnected();

    await vi.advanceTimersByTimeAsync(15_999);
    expect(connection.framesOf('ping')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const ping = await connection.waitFor('ping');
    expect(ping.sentAtMs).toBe(Date.now());
    await connection.sync();
    expect(agent.status().rttMs).toBe(0);
    expect(agent.status().lastPongAgoMs).toBe(0);

    // The next one waits between 16 and 24 s: here, with random() = 0, 16 s again.
    await vi.advanceTimersByTimeAsync(16_000);
    await connection.waitFor('ping', (next) => next.sentAtMs === Date.now());
  });

  it("answers the cloud's pings with pongs", async () => {
    const connecting = bed.peer.nextConnection();
    const { agent } = await bed.startAgent();
    const connection = await connecting;
    await agent.whenConnected();
    connection.send({ type: 'ping', sentAtMs: 4242 });
    expect(await connection.waitFor('pong')).toEqual({ type: 'pong', pingSentAtMs: 4242 });
  });

  it('drops the link after 45 s without hearing from the cloud, and dials again', async () => {
    useFakeClock();
    bed.peer.answerPings = false;
    const connecting = bed.peer.nextConnection();
    const { agent, logs } = await bed.startAgent();
    const connection = await connecting;
    await agent.whenConnected();

    await vi.advanceTimersByTimeAsync(44_999);
    expect(agent.status().connected).toBe(true);
    const again = bed.peer.nextConnection();
    await vi.advanceTimersByTimeAsync(1);
    await connection.closed;
    await logs.waitFor('tunnel down');
    expect(agent.status().lastDisconnect?.reason).toBe('dead_peer');

    await vi.advanceTimersByTimeAsync(1_000);
    await again;
  });

  it('keeps a link the cloud answers on for longer than the dead-peer deadline', async () => {
    useFakeClock();
    const connecting = bed.peer.nextConnection();
    const { agent } = await bed.startAgent({ timers: { random: () => 0.5 } });
    const connection = await connecting;
    await agent.whenConnected();
    for (let round = 1; round <= 5; round++) {
      await vi.advanceTimersByTimeAsync(20_000);
      await connection.waitFor('ping', (ping) => ping.sentAtMs === Date.now());
      // The pong must be back before the clock moves on.
      await connection.sync();
      expect(agent.status().lastPongAgoMs).toBe(0);
    }
    expect(agent.status().connected).toBe(true);
    expect(bed.peer.connections).toHaveLength(1);
  });
});
