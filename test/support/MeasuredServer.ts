import { type JobOutcome, jobOutcomeSchema } from '@plumbline/proto';
import { z } from 'zod';
import { type ProcessMemory, processMemorySchema } from './processMemory.ts';
import { TsxChild } from './TsxChild.ts';

const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string(), pid: z.number() }),
  z.object({ type: z.literal('memory'), memory: processMemorySchema }),
  z.object({ type: z.literal('job-outcome'), outcome: jobOutcomeSchema }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
type ChildMessage = z.infer<typeof childMessageSchema>;

/**
 * A server in a child process (`measuredServerMain.ts`, run with `--expose-gc`), so its memory
 * is its own: `memory()` asks it for RSS and heap after a full collection. `cloud` is the real
 * cloud (settings from `env`); `ws` a bare ws echo server, the floor.
 */
export class MeasuredServer {
  private readonly server: TsxChild<{ url: string; pid: number }>;
  readonly url: string;
  readonly pid: number;
  private readonly waiting: ((message: ChildMessage) => void)[] = [];

  private constructor(server: TsxChild<{ url: string; pid: number }>) {
    this.server = server;
    this.url = server.ready.url;
    this.pid = server.ready.pid;
    server.child.on('message', (raw: unknown) => {
      const message = childMessageSchema.safeParse(raw);
      if (message.success) this.waiting.shift()?.(message.data);
    });
  }

  static async start(
    kind: 'cloud' | 'ws',
    env: Record<string, string> = {},
  ): Promise<MeasuredServer> {
    const started = await TsxChild.start({
      main: new URL('./measuredServerMain.ts', import.meta.url),
      args: [kind],
      execArgv: ['--expose-gc'],
      env,
      name: `the ${kind} server process`,
      readyMeans: 'start',
      ready: (raw) => {
        const message = childMessageSchema.safeParse(raw);
        return message.success && message.data.type === 'ready' ? message.data : undefined;
      },
    });
    return new MeasuredServer(started);
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
      this.server.child.send(request);
    });
  }

  /** Asks the child to stop cleanly; kills it if it has not exited after 15 s. */
  stop(): Promise<void> {
    return this.server.stop();
  }
}
