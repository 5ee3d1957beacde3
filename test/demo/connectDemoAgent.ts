import { join } from 'node:path';
import { AgentError, enrollAgent, type RunningAgent, startAgent } from '@plumbline/agent';
import { componentLogger, type Logger } from '@plumbline/log';
import { z } from 'zod';
import type { DemoApi } from './DemoApi.ts';
import { DemoError } from './DemoError.ts';
import type { DemoPaths } from './prepareDemoDir.ts';

export const demoAgentName = 'demo-edge';

const connectTimeoutMs = 30_000;
const enrollmentTokenAnswer = z.object({ token: z.string().min(1) });
const agentAnswer = z.object({ agent: z.object({ state: z.string() }) });

/**
 * Known shortcoming: the agent runs inside the demo's process, beside the cloud, where in
 * production it runs in the customer's network (`pnpm agent run`). Its traffic still goes over
 * a real WebSocket on loopback, but a crash of the demo takes both down at once.
 *
 * Enrolls an agent as an operator would: a single-use enrollment token from the admin route,
 * then `enrollAgent` with it, then `startAgent`, which dials the cloud's tunnel. Resolves once
 * the cloud lists the agent online; on a failure the agent is stopped again.
 */
export async function connectDemoAgent(
  cloudUrl: string,
  api: DemoApi,
  paths: DemoPaths,
  healthPort: number | false,
  logger: Logger,
): Promise<RunningAgent> {
  const { token } = await api.call('POST', '/agents/enrollment-tokens', enrollmentTokenAnswer, {
    ttlMinutes: 10,
  });
  await enrollAgent({ cloudUrl, token, stateDir: paths.agentState, name: demoAgentName });
  const agent = await startAgent({
    stateDir: paths.agentState,
    logger: componentLogger(logger, 'agent'),
    healthPort,
    healthHost: '127.0.0.1',
  }).catch((error: unknown) => {
    throw healthPortError(error, healthPort);
  });

  try {
    await withTimeout(agent.whenConnected(), connectTimeoutMs, () => {
      const log = join(paths.logs, 'demo.log');
      return new DemoError(
        'agent_not_connected',
        `the agent did not connect to ${cloudUrl} within ${connectTimeoutMs} ms; ` +
          `its reasons are in ${log} (component "agent")`,
      );
    });
    const { agent: seen } = await api.call('GET', `/agents/${agent.agentId}`, agentAnswer);
    if (seen.state !== 'online') {
      throw new DemoError('agent_not_connected', `the cloud lists the agent as ${seen.state}`);
    }
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return agent;
}

/** The agent's own message names its command's flag; the demo's flag is another. */
function healthPortError(error: unknown, healthPort: number | false): unknown {
  if (!(error instanceof AgentError) || error.code !== 'health_port_unavailable') return error;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message;
  return new DemoError(
    'agent_not_started',
    `the agent cannot serve its health port 127.0.0.1:${healthPort} (${code}); ` +
      'pass --agent-health-port with a free port, or stop what listens there',
    { cause: error },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
