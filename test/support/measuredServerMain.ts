/**
 * The child process of `MeasuredServer`: one server whose memory the parent asks for over IPC.
 * `cloud` runs the real cloud (`startCloud`, settings from the environment); `ws` runs a bare
 * `ws` server on the tunnel path with the hub's socket options that echoes every message, as
 * the floor to compare against. Messages: the parent sends `memory`, `noop-job` (cloud only:
 * a no-op job to an agent, answered with its outcome) or `stop`; the child answers `ready`
 * (with its URL), `memory`, `job-outcome`, `failed`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCloudConfig, type RunningCloud, startCloud } from '@plumbline/cloud';
import { createLogger } from '@plumbline/log';
import { maxFrameBytes, noopJob, tunnelPath } from '@plumbline/proto';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { processMemory } from './processMemory.ts';

const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('memory') }),
  z.object({ type: z.literal('stop') }),
  z.object({
    type: z.literal('noop-job'),
    tenantId: z.string(),
    agentId: z.string(),
    payload: z.string(),
  }),
]);

function reply(message: object): void {
  process.send?.(message);
}

async function startBareWs(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer();
  const wss = new WebSocketServer({
    server,
    path: tunnelPath,
    perMessageDeflate: false,
    maxPayload: maxFrameBytes,
  });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(kind: string | undefined): Promise<void> {
  let running: { url: string; stop(): Promise<void> };
  let cloud: RunningCloud | undefined;
  if (kind === 'cloud') {
    const config = loadCloudConfig(process.env);
    cloud = await startCloud(config, createLogger({ name: 'bench-cloud', level: config.logLevel }));
    running = cloud;
  } else if (kind === 'ws') {
    running = await startBareWs();
  } else {
    throw new Error(`measuredServerMain: expected "cloud" or "ws" as the argument, got ${kind}`);
  }
  process.on('message', (message: unknown) => {
    const request = requestSchema.safeParse(message);
    if (!request.success) return;
    const { data } = request;
    if (data.type === 'memory') reply({ type: 'memory', memory: processMemory() });
    else if (data.type === 'noop-job') void runNoopJob(cloud, data);
    else void running.stop().then(() => process.exit(0));
  });
  reply({ type: 'ready', url: running.url, pid: process.pid });
}

async function runNoopJob(
  cloud: RunningCloud | undefined,
  job: { tenantId: string; agentId: string; payload: string },
): Promise<void> {
  try {
    if (cloud === undefined) throw new Error('only the cloud server runs jobs');
    const { payload } = job;
    const { jobId } = await cloud.hub.jobs.enqueue(job.tenantId, job.agentId, noopJob, { payload });
    reply({ type: 'job-outcome', outcome: await cloud.hub.jobs.wait(job.tenantId, jobId) });
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

main(process.argv[2]).catch((error: unknown) => {
  reply({ type: 'failed', message: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
