import { maxFrameBytes, socketResumeBytes } from '@plumbline/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemTimers } from '../AgentTimers.ts';
import { IdentityStore } from '../identity/IdentityStore.ts';
import { AgentTestBed } from '../testing/agentTestBed.ts';
import { captureLogger } from '../testing/captureLogger.ts';
import { tunnelUrl } from './TunnelClient.ts';
import { TunnelLink } from './TunnelLink.ts';
import { defaultTunnelParameters } from './TunnelParameters.ts';

let bed: AgentTestBed;

beforeEach(async () => {
  bed = await AgentTestBed.start();
});

afterEach(async () => {
  await bed.dispose();
});

async function authenticatedLink() {
  const { stateDir } = bed.enroll();
  const identity = IdentityStore.load(stateDir);
  const connecting = bed.peer.nextConnection();
  const ws = new WebSocket(tunnelUrl(identity.current().cloudUrl), { perMessageDeflate: false });
  let authenticated!: () => void;
  const ready = new Promise<void>((resolve) => {
    authenticated = resolve;
  });
  const link = new TunnelLink(ws, {
    identity,
    readOnly: false,
    timers: systemTimers,
    parameters: defaultTunnelParameters,
    logger: captureLogger().logger,
    handlers: () => [],
    onAuthenticated: () => authenticated(),
  });
  await ready;
  return { link, connection: await connecting };
}

describe('TunnelLink as a FrameLink', () => {
  it('reports buffered bytes and calls whenWritable once the cloud reads again', async () => {
    const { link, connection } = await authenticatedLink();
    expect(link.bufferedBytes()).toBe(0);
    let calledAtOnce = false;
    link.whenWritable(() => {
      calledAtOnce = true;
    });
    expect(calledAtOnce).toBe(true);

    connection.setReading(false);
    const chunk = new Uint8Array(256 * 1024);
    for (let sent = 0; sent < 64 && link.bufferedBytes() < 4 * maxFrameBytes; sent++) {
      link.sendData(1, chunk);
    }
    expect(link.bufferedBytes()).toBeGreaterThan(socketResumeBytes);
    let writable = false;
    const drained = new Promise<void>((resolve) =>
      link.whenWritable(() => {
        writable = true;
        resolve();
      }),
    );
    const cancelled = link.whenWritable(() => {
      throw new Error('a cancelled wait must not be called');
    });
    cancelled();
    expect(writable).toBe(false);

    connection.setReading(true);
    await drained;
    expect(link.bufferedBytes()).toBeLessThan(socketResumeBytes);
    link.close('agent_stopping', 'test over');
    await link.ended;
  });

  it('drops frames silently once closed', async () => {
    const { link, connection } = await authenticatedLink();
    link.close('agent_stopping', 'test over');
    expect((await connection.closed).reason).toBe('agent_stopping');
    await link.ended;
    expect(link.closed).toBe(true);
    link.send({ type: 'ping', sentAtMs: 1 });
    link.sendData(1, new Uint8Array(1));
    expect(link.bufferedBytes()).toBe(0);
  });
});
