import { Counter, Gauge, type Registry } from 'prom-client';

export interface TunnelMetrics {
  handshakeRefusals: Counter<'reason'>;
  connectedAgents: Gauge;
  jobs: Gauge<'state'>;
}

/**
 * The hub's metrics in the service's registry. The gauges read their values when scraped:
 * connected agents from the hub, jobs by state from the outbox.
 */
export function createTunnelMetrics(
  registry: Registry,
  sources: {
    connectedAgents: () => number;
    jobsByState: () => Promise<Record<string, number>>;
  },
): TunnelMetrics {
  return {
    handshakeRefusals: new Counter({
      name: 'plumbline_cloud_tunnel_handshake_refusals_total',
      help: 'Tunnel connections refused before or at authentication, by close reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    connectedAgents: new Gauge({
      name: 'plumbline_cloud_tunnel_connected_agents',
      help: 'Agents with an authenticated tunnel connection to this process',
      registers: [registry],
      collect() {
        this.set(sources.connectedAgents());
      },
    }),
    jobs: new Gauge({
      name: 'plumbline_cloud_tunnel_jobs',
      help: 'Jobs in the outbox, by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        const counts = await sources.jobsByState().catch(() => ({}));
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    }),
  };
}
