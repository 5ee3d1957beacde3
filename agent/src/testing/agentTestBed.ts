import type { AgentStatus } from '../AgentStatus.ts';
import { type RunningAgent, type StartAgentOptions, startAgent } from '../startAgent.ts';
import { type CapturedLogs, captureLogger } from './captureLogger.ts';
import { enrolledStateDir } from './enrolledStateDir.ts';
import { FakeCloudPeer, type FakeCloudPeerOptions } from './fakeCloudPeer.ts';

/**
 * A fake cloud peer and the agents started against it, stopped and closed by `dispose()`.
 * Agents get an empty environment (no proxies of the machine) and no health server unless asked.
 */
export class AgentTestBed {
  readonly peer: FakeCloudPeer;
  private readonly agents: RunningAgent[] = [];

  private constructor(peer: FakeCloudPeer) {
    this.peer = peer;
  }

  static async start(options?: FakeCloudPeerOptions): Promise<AgentTestBed> {
    return new AgentTestBed(await FakeCloudPeer.start(options));
  }

  enroll(cloudUrl?: string) {
    return enrolledStateDir(this.peer, cloudUrl);
  }

  async startAgent(
    options: Partial<StartAgentOptions> & { stateDir?: string } = {},
  ): Promise<{ agent: RunningAgent; logs: CapturedLogs; stateDir: string; agentId: string }> {
    const enrolled = options.stateDir === undefined ? this.enroll() : undefined;
    const stateDir = options.stateDir ?? enrolled?.stateDir ?? '';
    const logs = captureLogger();
    const agent = await startAgent({
      healthPort: false,
      env: {},
      stopGraceMs: 1_000,
      ...options,
      stateDir,
      logger: options.logger ?? logs.logger,
    });
    this.agents.push(agent);
    return { agent, logs, stateDir, agentId: agent.agentId };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.agents.map((agent) => agent.stop()));
    await this.peer.close();
  }
}

export function lastReason(status: AgentStatus): string | undefined {
  return status.lastDisconnect?.reason;
}
