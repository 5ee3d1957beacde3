/**
 * The child process of `MeasuredServer`: one server whose memory the parent asks for over IPC.
 * `cloud` runs the real cloud (`startCloud`, settings from the environment); `ws` runs a bare
 * `ws` server on the tunnel path with the hub's socket options that echoes every message, as
 * the floor to compare against. Messages: parent sends `memory` or `stop`; the child answers
 * `ready` (with its URL), `memory`, `failed`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCloudConfig, startCloud } from '@plumbline/cloud';
import { createLogger } from '@plumbline/log';
import { maxFrameBytes, tunnelPath } from '@plumbline/proto';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { processMemory } from './processMemory.ts';

const requestSchema = z.object({ type: z.enum(['memory', 'stop']) });

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
  if (kind === 'cloud') {
    const config = loadCloudConfig(process.env);
    running = await startCloud(
      config,
      createLogger({ name: 'bench-cloud', level: config.logLevel }),
    );
  } else if (kind === 'ws') {
    running = await startBareWs();
  } else {
    throw new Error(`measuredServerMain: expected "cloud" or "ws" as the argument, got ${kind}`);
  }
  process.on('message', (message: unknown) => {
    const request = requestSchema.safeParse(message);
    if (!request.success) return;
    if (request.data.type === 'memory') reply({ type: 'memory', memory: processMemory() });
    else void running.stop().then(() => process.exit(0));
  });
  reply({ type: 'ready', url: running.url, pid: process.pid });
}

main(process.argv[2]).catch((error: unknown) => {
  reply({ type: 'failed', message: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
