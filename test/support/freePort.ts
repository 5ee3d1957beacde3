import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/**
 * A TCP port on `host` that was free a moment ago: for a server whose URL must be known before
 * it starts, or as a port nothing listens on, where a dial is refused at once. (The agent's
 * unit tests have their own in agent/src/testing: they do not reach into test/.)
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
