import { createLogger } from '@plumbline/log';
import { AgentError, type AgentErrorCode } from '../AgentError.ts';
import type { AgentStatus } from '../AgentStatus.ts';
import { enrollAgent } from '../enroll/enrollAgent.ts';
import { startAgent } from '../startAgent.ts';
import { formatStatus } from './formatStatus.ts';
import { type CommandLine, parseCommandLine } from './parseCommandLine.ts';
import { UsageError } from './UsageError.ts';

const usage = `usage: plumbline-agent <command>

  enroll --cloud URL --token T [--name N] [--force]
                      make a key, register it with a single-use token, write identity.json
  run [--read-only] [--health-port 9465] [--health-host 127.0.0.1] [--no-health]
                      keep the tunnel to the cloud and run its jobs (SIGTERM stops gracefully)
  status [--health-port 9465] [--health-host 127.0.0.1]
                      show the running agent's link and jobs; exit 1 when not connected

  every command: [--state-dir DIR] (PLUMBLINE_AGENT_STATE_DIR, default ./.plumbline-agent)
                 [--ca-file PEM]   (PLUMBLINE_AGENT_CA_FILE) extra CA beside the system roots
  HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured; PLUMBLINE_LOG_LEVEL sets the log level.`;

/** Bad set-up the operator must fix before the agent can run at all. */
const configurationCodes = new Set<AgentErrorCode>([
  'identity_missing',
  'identity_invalid',
  'ca_file_invalid',
  'proxy_invalid',
  'bad_cloud_url',
  'health_port_unavailable',
]);

const err = (line: string) => process.stderr.write(`${line}\n`);

async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(args, process.env);
  if (line.command === undefined || line.command === 'help') {
    err(usage);
    return line.command === undefined ? 2 : 0;
  }
  if (line.command === 'enroll') return enroll(line);
  if (line.command === 'run') return run(line);
  if (line.command === 'status') return status(line);
  throw new UsageError(`unknown command "${line.command}"`);
}

async function enroll(line: CommandLine): Promise<number> {
  if (line.cloud === undefined || line.token === undefined) {
    throw new UsageError('enroll needs --cloud URL and --token T (or PLUMBLINE_AGENT_TOKEN)');
  }
  const enrolled = await enrollAgent({
    cloudUrl: line.cloud,
    token: line.token,
    stateDir: line.stateDir,
    force: line.force,
    ...(line.name === undefined ? {} : { name: line.name }),
    ...(line.caFile === undefined ? {} : { caFile: line.caFile }),
  });
  err(
    `enrolled agent ${enrolled.agentId} in tenant ${enrolled.tenantSlug}; identity in ` +
      `${enrolled.identityPath} (0600). Start it with: ` +
      `plumbline-agent run --state-dir ${line.stateDir}`,
  );
  process.stdout.write(`${enrolled.agentId}\n`);
  return 0;
}

async function run(line: CommandLine): Promise<number> {
  const logger = createLogger({
    name: 'plumbline-agent',
    level: process.env.PLUMBLINE_LOG_LEVEL ?? 'info',
  });
  const agent = await startAgent({
    stateDir: line.stateDir,
    logger,
    readOnly: line.readOnly,
    healthPort: line.healthPort,
    healthHost: line.healthHost,
    ...(line.caFile === undefined ? {} : { caFile: line.caFile }),
  });
  const stop = () =>
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'the agent did not stop cleanly');
        process.exit(1);
      },
    );
  // The same signal a second time is not caught, so it ends a stop that hangs.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
  return new Promise<number>(() => {});
}

async function status(line: CommandLine): Promise<number> {
  const port = line.healthPort === false ? 9465 : line.healthPort;
  const url = `http://${line.healthHost}:${port}/readyz`;
  let answer: Response;
  try {
    answer = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    err(`no agent answers at ${url} (${(error as Error).message}); is "plumbline-agent run" up?`);
    return 1;
  }
  const body = (await answer.json().catch(() => undefined)) as AgentStatus | undefined;
  if (body === undefined || typeof body.connected !== 'boolean') {
    err(`${url} answered ${answer.status} without an agent status; is that port the agent's?`);
    return 1;
  }
  process.stdout.write(`${formatStatus(body)}\n`);
  return body.connected ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`plumbline-agent: ${error.message}\n\n${usage}`);
      process.exit(2);
    }
    if (error instanceof AgentError) {
      err(`plumbline-agent: ${error.message}`);
      process.exit(configurationCodes.has(error.code) ? 78 : 1);
    }
    err(`plumbline-agent: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
