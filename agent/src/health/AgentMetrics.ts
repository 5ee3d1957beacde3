import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export type LinkPhase = 'connecting' | 'handshake' | 'connected' | 'waiting' | 'stopped';

const phases: LinkPhase[] = ['connecting', 'handshake', 'connected', 'waiting', 'stopped'];

/** Read when Prometheus scrapes, so gauges never lag the state they describe. */
export interface MetricsSample {
  rttMs: number | undefined;
  clockOffsetMs: number | undefined;
  runningJobs: number;
  queuedJobs: number;
}

export interface AgentMetrics {
  registry: Registry;
  setPhase(phase: LinkPhase): void;
  reconnects: Counter<'reason'>;
  jobs: Counter<'kind' | 'outcome'>;
}

/** A registry of the agent's own (not prom-client's global), so tests may run several agents. */
export function createAgentMetrics(sample: () => MetricsSample): AgentMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'plumbline_agent_' });
  const linkState = new Gauge({
    name: 'plumbline_agent_link_state',
    help: 'The tunnel link: 1 for the phase it is in, 0 for the others',
    labelNames: ['state'],
    registers: [registry],
  });
  const linkUp = new Gauge({
    name: 'plumbline_agent_link_up',
    help: '1 while the tunnel is authenticated',
    registers: [registry],
  });
  sampledGauges(registry, sample);
  return {
    registry,
    setPhase(phase) {
      for (const each of phases) linkState.set({ state: each }, each === phase ? 1 : 0);
      linkUp.set(phase === 'connected' ? 1 : 0);
    },
    reconnects: new Counter({
      name: 'plumbline_agent_reconnects_total',
      help: 'Tunnel links that ended and were dialled again, by close reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'plumbline_agent_jobs_total',
      help: 'Jobs finished, by kind and outcome (ok or an error code)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
  };
}

function sampledGauges(registry: Registry, sample: () => MetricsSample): void {
  const gauge = (name: string, help: string, read: (now: MetricsSample) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read(sample());
        if (value === undefined) this.reset();
        else this.set(value);
      },
    });
  gauge('plumbline_agent_rtt_seconds', 'Round trip of the last ping the cloud answered', (now) =>
    now.rttMs === undefined ? undefined : now.rttMs / 1000,
  );
  gauge(
    'plumbline_agent_clock_offset_seconds',
    "The cloud's clock minus this host's at the last handshake (auth does not use clocks)",
    (now) => (now.clockOffsetMs === undefined ? undefined : now.clockOffsetMs / 1000),
  );
  gauge('plumbline_agent_jobs_running', 'Jobs whose handler runs now', (now) => now.runningJobs);
  gauge(
    'plumbline_agent_jobs_queued',
    'Jobs received, waiting for a slot',
    (now) => now.queuedJobs,
  );
}
