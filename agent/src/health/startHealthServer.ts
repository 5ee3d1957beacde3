import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { AgentError } from '../AgentError.ts';
import type { AgentStatus } from '../AgentStatus.ts';

export interface HealthServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * /healthz (the process answers), /readyz (200 only while the link is authenticated, with the
 * status as JSON) and /metrics (Prometheus). Local by default: it shows no secrets, but ids.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  status: () => AgentStatus;
  registry: Registry;
}): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(`${JSON.stringify(body)}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return json(405, { error: { code: 'method_not_allowed', message: 'use GET' } });
    }
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      const status = options.status();
      return json(status.connected ? 200 : 503, status);
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': options.registry.contentType });
          response.end(text);
        },
        () => json(500, { error: { code: 'internal', message: 'metrics failed' } }),
      );
      return;
    }
    json(404, { error: { code: 'not_found', message: 'try /healthz, /readyz or /metrics' } });
  });
  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(
        new AgentError(
          'health_port_unavailable',
          `cannot serve /healthz on ${host}:${port} (${error.code ?? error.message}); ` +
            'pick another --health-port, or --no-health',
          { cause: error },
        ),
      );
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}
