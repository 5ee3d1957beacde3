import { TsxChild } from './TsxChild.ts';

/**
 * A real agent in a child process (`agentProcessMain.ts`), so a test can kill it the way a
 * power cut or the OOM killer would: `kill()` sends SIGKILL, and nothing in the agent runs
 * after it. Executions of the ledger job kind are counted in the ledger file.
 */
export class AgentProcess {
  private constructor(private readonly agent: TsxChild<true>) {}

  /** Starts the agent and resolves once its tunnel is authenticated. */
  static async start(stateDir: string, ledgerFile: string): Promise<AgentProcess> {
    const started = await TsxChild.start({
      main: new URL('./agentProcessMain.ts', import.meta.url),
      args: [stateDir, ledgerFile],
      name: 'the agent process',
      readyMeans: 'connect',
      // Its one message says the tunnel is up.
      ready: () => true as const,
    });
    return new AgentProcess(started);
  }

  get pid(): number | undefined {
    return this.agent.child.pid;
  }

  /** SIGKILL: no drain, no close frame, no journal write after this. */
  kill(): Promise<void> {
    return this.agent.kill();
  }

  /** Asks the agent to stop gracefully; kills it if it has not exited after 15 s. */
  stop(): Promise<void> {
    return this.agent.stop();
  }
}
