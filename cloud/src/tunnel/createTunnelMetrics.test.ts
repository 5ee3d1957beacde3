import { generateSigningKeyPair, noopJob } from '@plumbline/proto';
import { describe, expect, it } from 'vitest';
import { RawAgent } from './testing/rawAgent.ts';
import { startTunnelTestCloud } from './testing/startTunnelTestCloud.ts';

describe('tunnel metrics', () => {
  it('shows connected agents, handshake refusals by reason and jobs by state on /metrics', async () => {
    const test = await startTunnelTestCloud();
    try {
      const acme = await test.addTenant('acme');
      const agent = await acme.enroll('edge');
      const raw = await RawAgent.connect(test.cloud.url, agent);
      const stranger = await RawAgent.open(test.cloud.url);
      stranger.sendAuth({ ...agent, keys: generateSigningKeyPair() });
      await stranger.closed;
      await test.cloud.hub.jobs.enqueue(acme.id, agent.agentId, noopJob, {});
      await raw.next('job');

      const text = await (await fetch(new URL('/metrics', test.cloud.url))).text();
      expect(text).toContain('plumbline_cloud_tunnel_connected_agents 1');
      expect(text).toContain(
        'plumbline_cloud_tunnel_handshake_refusals_total{reason="unknown_agent"} 1',
      );
      expect(text).toContain('plumbline_cloud_tunnel_jobs{state="delivered"} 1');
      await raw.close();
    } finally {
      await test.dispose();
    }
  });
});
