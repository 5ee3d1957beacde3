import { type ChildProcess, fork } from 'node:child_process';

const startTimeoutMs = 60_000;

/**
 * A real agent in a child process (`agentProcessMain.ts`), so a test can kill it the way a
 * power cut or the OOM killer would: `kill()` sends SIGKILL, and nothing in the agent runs
 * after it. Executions of the ledger job kind are counted in the ledger file.
 */
export class AgentProcess {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts the agent and resolves once its tunnel is authenticated. */
  static start(stateDir: string, ledgerFile: string): Promise<AgentProcess> {
    const main = new URL('./agentProcessMain.ts', import.meta.url).pathname;
    const child = fork(main, [stateDir, ledgerFile], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString()).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`the agent process ${why}: ${stderr}`));
      };
      const timer = setTimeout(
        () => fail(`did not connect in ${startTimeoutMs} ms`),
        startTimeoutMs,
      );
      child.once('exit', (code) => fail(`exited with ${code}`));
      child.once('message', () => {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new AgentProcess(child));
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGKILL: no drain, no close frame, no journal write after this. */
  kill(): Promise<void> {
    return this.exit(() => this.child.kill('SIGKILL'));
  }

  /** Asks the agent to stop gracefully; kills it if it has not exited after 15 s. */
  stop(): Promise<void> {
    const force = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    return this.exit(() => this.child.send({ type: 'stop' })).finally(() => clearTimeout(force));
  }

  private exit(trigger: () => void): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    trigger();
    return exited;
  }
}
