import type { Socket } from 'node:net';
import { socketResumeBytes, streamChunkBytes } from '@plumbline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawAgent, type RawAgentIdentity } from './testing/rawAgent.ts';
import {
  startTunnelTestCloud,
  type TunnelTestCloud,
  type TunnelTestTenant,
} from './testing/startTunnelTestCloud.ts';

/** The TCP socket under a ws client, to stop reading from it as a slow agent would. */
function tcpOf(raw: RawAgent): Socket {
  return (raw.ws as unknown as { _socket: Socket })._socket;
}

describe('AgentConnection as a FrameLink', () => {
  let test: TunnelTestCloud;
  let acme: TunnelTestTenant;
  let agent: RawAgentIdentity;

  beforeAll(async () => {
    test = await startTunnelTestCloud();
    acme = await test.addTenant('acme');
    agent = await acme.enroll('edge');
  });
  afterAll(() => test.dispose());

  it('reports buffered bytes and calls whenWritable only once a slow reader has caught up', async () => {
    const raw = await RawAgent.connect(test.cloud.url, agent);
    const link = test.cloud.hub.connectionIn(acme.id, agent.agentId);
    if (!link) throw new Error('no connection');
    tcpOf(raw).pause();

    const chunk = new Uint8Array(streamChunkBytes);
    for (let i = 0; i < 256 && link.bufferedBytes() < 4 * socketResumeBytes; i++) {
      link.sendData(7, chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(link.bufferedBytes()).toBeGreaterThanOrEqual(socketResumeBytes);

    let writable = false;
    const done = new Promise<void>((resolve) =>
      link.whenWritable(() => {
        writable = true;
        resolve();
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(writable).toBe(false);

    tcpOf(raw).resume();
    await done;
    expect(link.bufferedBytes()).toBeLessThan(socketResumeBytes);
    await raw.close();
  });

  it('calls whenWritable at once when the buffer is already low, and drops sends once closed', async () => {
    const raw = await RawAgent.connect(test.cloud.url, agent);
    const link = test.cloud.hub.connectionIn(acme.id, agent.agentId);
    if (!link) throw new Error('no connection');
    let called = false;
    link.whenWritable(() => {
      called = true;
    });
    expect(called).toBe(true);

    await raw.close();
    await expect.poll(() => link.closed).toBe(true);
    expect(() => link.send({ type: 'ping', sentAtMs: 1 })).not.toThrow();
    expect(() => link.sendData(1, new Uint8Array(1))).not.toThrow();
  });
});
