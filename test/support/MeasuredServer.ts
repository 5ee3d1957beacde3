import { type ChildProcess, fork } from 'node:child_process';
import { type JobOutcome, jobOutcomeSchema } from '@plumbline/proto';
import { z } from 'zod';
import { type ProcessMemory, processMemorySchema } from './processMemory.ts';

const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string(), pid: z.number() }),
  z.object({ type: z.literal('memory'), memory: processMemorySchema }),
  z.object({ type: z.literal('job-outcome'), outcome: jobOutcomeSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
type ChildMessage = z.infer<typeof childMessageSchema>;

const startTimeoutMs = 60_000;

/**
 * A server in a child process (`measuredServerMain.ts`, run with `--expose-gc`), so its memory
 * is its own: `memory()` asks it for RSS and heap after a full collection. `cloud` is the real
 * cloud (settings from `env`); `ws` a bare ws echo server, the floor.
 */
export class MeasuredServer {
  private readonly child: ChildProcess;
  readonly url: string;
  readonly pid: number;
  private readonly waiting: ((message: ChildMessage) => void)[] = [];

  private constructor(child: ChildProcess, url: string, pid: number) {
    this.child = child;
    this.url = url;
    this.pid = pid;
    child.on('message', (raw: unknown) => {
      const message = childMessageSchema.safeParse(raw);
      if (message.success) this.waiting.shift()?.(message.data);
    });
  }

  static start(kind: 'cloud' | 'ws', env: Record<string, string> = {}): Promise<MeasuredServer> {
    const main = new URL('./measuredServerMain.ts', import.meta.url).pathname;
    const child = fork(main, [kind], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, ...env },
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
        reject(new Error(`the ${kind} server process ${why}: ${stderr}`));
      };
      const timer = setTimeout(() => fail(`did not start in ${startTimeoutMs} ms`), startTimeoutMs);
      child.once('exit', (code) => fail(`exited with ${code}`));
      child.once('message', (raw: unknown) => {
        const message = childMessageSchema.safeParse(raw);
        if (!message.success || message.data.type !== 'ready') {
          fail(`sent ${JSON.stringify(raw).slice(0, 2000)} instead of ready`);
          return;
        }
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new MeasuredServer(child, message.data.url, message.data.pid));
      });
    });
  }

  memory(): Promise<ProcessMemory> {
    return this.ask({ type: 'memory' }).then((message) => {
      if (message.type === 'memory') return message.memory;
      throw new Error(`expected memory from the server process, got ${JSON.stringify(message)}`);
    });
  }

  /** The cloud process enqueues a no-op job to the agent and answers its outcome. */
  runNoopJob(tenantId: string, agentId: string, payload: string): Promise<JobOutcome> {
    return this.ask({ type: 'noop-job', tenantId, agentId, payload }).then((message) => {
      if (message.type === 'job-outcome') return message.outcome;
      throw new Error(
        `expected a job outcome from the cloud process, got ${JSON.stringify(message)}`,
      );
    });
  }

  /** Answers are matched to requests by order: ask one thing at a time. */
  private ask(request: object): Promise<ChildMessage> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(request);
    });
  }

  /** Asks the child to stop cleanly; kills it if it has not exited after 15 s. */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      this.child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      this.child.send({ type: 'stop' });
    });
  }
}
