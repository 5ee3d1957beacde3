import { afterEach, describe, expect, it } from 'vitest';
import { AgentTestBed } from '../testing/agentTestBed.ts';
import { selfSignedCertificate } from '../testing/selfSignedCertificate.ts';
import { startConnectProxy } from '../testing/startConnectProxy.ts';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxy() {
  const started = await startConnectProxy();
  cleanups.push(() => started.close());
  return started;
}

async function bedWith(options?: Parameters<typeof AgentTestBed.start>[0]) {
  const bed = await AgentTestBed.start(options);
  cleanups.push(() => bed.dispose());
  return bed;
}

describe('the tunnel through a proxy', () => {
  it('reaches a TLS cloud through HTTPS_PROXY with CONNECT, trusting the --ca-file', async () => {
    const tls = selfSignedCertificate();
    const bed = await bedWith({ tls });
    const connect = await proxy();
    const { agent } = await bed.startAgent({
      env: { HTTPS_PROXY: connect.url },
      caFile: tls.caFile,
    });
    await agent.whenConnected();
    const port = new URL(bed.peer.url).port;
    expect(connect.connects).toEqual([`127.0.0.1:${port}`]);
  });

  it('does not trust the cloud certificate without the CA file', async () => {
    const tls = selfSignedCertificate();
    const bed = await bedWith({ tls });
    const { agent, logs } = await bed.startAgent({});
    const line = await logs.waitFor('tunnel down');
    expect(String(line.detail)).toMatch(/certificate/i);
    expect(agent.status().connected).toBe(false);
  });

  it('goes direct when NO_PROXY names the cloud', async () => {
    const bed = await bedWith();
    const connect = await proxy();
    const { agent } = await bed.startAgent({
      env: { HTTP_PROXY: connect.url, NO_PROXY: 'localhost,127.0.0.1' },
    });
    await agent.whenConnected();
    expect(connect.connects).toEqual([]);
  });

  it('takes HTTP_PROXY for a plain ws:// cloud', async () => {
    const bed = await bedWith();
    const connect = await proxy();
    const { agent } = await bed.startAgent({ env: { HTTP_PROXY: connect.url } });
    await agent.whenConnected();
    expect(connect.connects).toHaveLength(1);
  });
});
