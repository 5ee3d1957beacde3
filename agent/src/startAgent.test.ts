import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentTestBed } from './testing/agentTestBed.ts';

let bed: AgentTestBed;

beforeEach(async () => {
  bed = await AgentTestBed.start();
});

afterEach(async () => {
  await bed.dispose();
});

describe('startAgent', () => {
  it('warns when the identity file is readable by other users', async () => {
    const { stateDir } = bed.enroll();
    chmodSync(join(stateDir, 'identity.json'), 0o644);
    const { logs } = await bed.startAgent({ stateDir });
    expect(logs.matching('the identity file')[0]).toMatchObject({ mode: '644' });
  });

  it('warns when the tunnel to a remote cloud would not be encrypted', async () => {
    const { stateDir } = bed.enroll('http://cloud.example.com');
    // The dial goes to a proxy port on 127.0.0.1 that nothing listens on: no traffic leaves.
    const { logs } = await bed.startAgent({ stateDir, env: { HTTP_PROXY: 'http://127.0.0.1:9' } });
    await logs.waitFor('tunnel down');
    expect(logs.matching('the cloud URL is http://')).toHaveLength(1);
    expect(logs.text()).not.toContain('secretKey');
  });

  it('refuses to start with a proxy setting or CA file it cannot use', async () => {
    const { stateDir } = bed.enroll();
    await expect(
      bed.startAgent({ stateDir, env: { HTTP_PROXY: 'socks5://127.0.0.1:1080' } }),
    ).rejects.toMatchObject({ code: 'proxy_invalid' });
    await expect(
      bed.startAgent({ stateDir, caFile: join(stateDir, 'identity.json') }),
    ).rejects.toMatchObject({ code: 'ca_file_invalid' });
  });

  it('fails whenConnected when stopped before it connected', async () => {
    bed.peer.dropConnections = true;
    const { agent } = await bed.startAgent();
    const connected = agent.whenConnected();
    await agent.stop();
    await expect(connected).rejects.toThrow('stopped before it connected');
    expect(agent.status().linkPhase).toBe('stopped');
  });
});
