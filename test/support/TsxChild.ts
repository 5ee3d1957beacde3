import { type ChildProcess, fork } from 'node:child_process';

const startTimeoutMs = 60_000;
const stopTimeoutMs = 15_000;

export interface TsxChildOptions<T> {
  /** The module the child runs, e.g. `new URL('./agentProcessMain.ts', import.meta.url)`. */
  main: URL;
  args: string[];
  /** Node flags besides `--import tsx`, which every child gets. */
  execArgv?: string[];
  /** Added to the parent's environment. */
  env?: Record<string, string>;
  /** Names the child in errors: "the agent process". */
  name: string;
  /** What the first IPC message means, for the timeout error: "connect", "start". */
  readyMeans: string;
  /** The child's ready value from its first IPC message; undefined when it is not one. */
  ready(message: unknown): T | undefined;
}

/**
 * A test module run in a child process with tsx, for tests that must kill a process or measure
 * its memory alone. It is started once its first IPC message says it is ready; a start that
 * fails (exit, timeout, a wrong first message) kills it and reports the end of its stderr.
 */
export class TsxChild<T> {
  readonly child: ChildProcess;
  readonly ready: T;

  private constructor(child: ChildProcess, ready: T) {
    this.child = child;
    this.ready = ready;
  }

  static start<T>(options: TsxChildOptions<T>): Promise<TsxChild<T>> {
    const child = fork(options.main.pathname, options.args, {
      execArgv: [...(options.execArgv ?? []), '--import', 'tsx'],
      env: { ...process.env, ...options.env },
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
        reject(new Error(`${options.name} ${why}: ${stderr}`));
      };
      const timer = setTimeout(
        () => fail(`did not ${options.readyMeans} in ${startTimeoutMs} ms`),
        startTimeoutMs,
      );
      child.once('exit', (code) => fail(`exited with ${code}`));
      child.once('message', (message: unknown) => {
        const ready = options.ready(message);
        if (ready === undefined) {
          fail(`sent ${JSON.stringify(message).slice(0, 2000)} instead of ready`);
          return;
        }
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new TsxChild(child, ready));
      });
    });
  }

  /** SIGKILL: nothing in the child runs after it. */
  kill(): Promise<void> {
    return this.exit(() => this.child.kill('SIGKILL'));
  }

  /** Asks the child to stop cleanly (`{ type: 'stop' }`); kills it if it has not after 15 s. */
  stop(): Promise<void> {
    const force = setTimeout(() => this.child.kill('SIGKILL'), stopTimeoutMs);
    return this.exit(() => this.child.send({ type: 'stop' })).finally(() => clearTimeout(force));
  }

  private exit(trigger: () => void): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    trigger();
    return exited;
  }
}
