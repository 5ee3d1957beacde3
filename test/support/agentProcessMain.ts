/**
 * The child process of `AgentProcess`: a real agent (`startAgent`) on a state directory, with
 * the ledger job kind registered, so the parent can kill it with SIGKILL mid-job. It sends
 * `connected` once its tunnel is up. Arguments: the state directory and the ledger file.
 */
import { JobHandlerRegistry, startAgent } from '@plumbline/agent';
import { createLogger } from '@plumbline/log';
import { ledgerPushHandler, ledgerPushJob } from './ledgerPushJob.ts';

async function main(stateDir: string | undefined, ledgerFile: string | undefined) {
  if (stateDir === undefined || ledgerFile === undefined) {
    throw new Error('agentProcessMain: expected a state directory and a ledger file');
  }
  const handlers = new JobHandlerRegistry().register(ledgerPushJob, ledgerPushHandler(ledgerFile));
  const agent = await startAgent({
    stateDir,
    logger: createLogger({ name: 'agent-process', level: process.env.AGENT_LOG_LEVEL ?? 'silent' }),
    handlers,
    healthPort: false,
    maxConcurrentJobs: 1,
    tunnel: { backoffBaseMs: 20, backoffCapMs: 300, closeTimeoutMs: 300 },
  });
  await agent.whenConnected();
  process.send?.({ type: 'connected' });
  process.on('message', () => {
    void agent.stop().then(() => process.exit(0));
  });
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
