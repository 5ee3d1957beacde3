import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plumbline/log';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadCloudConfig } from './config/CloudConfig.ts';
import { type RunningCloud, startCloud } from './startCloud.ts';
import { addTenantFixture } from './testing/createTestCloud.ts';

const silent = createLogger({ name: 'test', level: 'silent' });

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
  });
}

describe('startCloud', () => {
  let dataDir: string;
  let cloud: RunningCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}) {
    dataDir = mkdtempSync(join(tmpdir(), 'plumbline-cloud-'));
    const settings = { PLUMBLINE_DATA_DIR: dataDir, PLUMBLINE_PORT: '0', ...env };
    cloud = await startCloud(loadCloudConfig(settings), silent);
    return cloud;
  }

  it('serves health, readiness and Prometheus metrics over HTTP', async () => {
    const { url } = await start();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await metrics.text();
    expect(text).toContain(
      'plumbline_cloud_http_requests_total{method="GET",route="/healthz",status="200"} 1',
    );
    expect(text).toContain('plumbline_cloud_process_resident_memory_bytes');
  });

  it('on stop, refuses new connections but finishes a request in flight, then closes the store', async () => {
    const running = await start();
    const port = Number(new URL(running.url).port);
    const fakeCloud = { store: running.store } as Parameters<typeof addTenantFixture>[0];
    const t = await addTenantFixture(fakeCloud, 'acme', { withPasswords: false });

    const body = JSON.stringify({ email: 'late@acme.test', role: 'viewer' });
    const socket = await connectTo(port);
    const answer = readAll(socket);
    socket.write(
      'POST /api/v1/tenants/acme/members HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: Bearer ${t.users.admin.token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    // Let the server accept the connection and read the headers before it is told to stop;
    // the order is what matters here, not the time.
    await new Promise((resolve) => setTimeout(resolve, 50));

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await expect(connectTo(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(stopped).toBe(false);

    socket.write(body.slice(10));
    expect(await answer).toMatch(/^HTTP\/1.1 201 Created/);
    await stopping;
    expect(stopped).toBe(true);
    await expect(running.store.ping()).rejects.toThrow(/not open/);
    cloud = undefined;
  });

  it('keeps the database file readable by its owner only', async () => {
    await start();
    expect(statSync(join(dataDir, 'plumbline.db')).mode & 0o777).toBe(0o600);
  });

  it('refuses to start on an address in use, naming the settings', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const starting = start({ PLUMBLINE_PORT: String(port) });
      await expect(starting).rejects.toBeInstanceOf(ConfigError);
      await expect(starting).rejects.toThrow(
        `PLUMBLINE_HOST="127.0.0.1" PLUMBLINE_PORT=${port}: cannot listen on 127.0.0.1:${port} ` +
          '(EADDRINUSE)',
      );
    } finally {
      busy.close();
    }
  });

  it('refuses a data directory that cannot hold the database, naming the setting', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plumbline-cloud-'));
    const notADirectory = join(dataDir, 'a-file');
    writeFileSync(notADirectory, '');
    const config = loadCloudConfig({ PLUMBLINE_DATA_DIR: notADirectory, PLUMBLINE_PORT: '0' });
    const starting = startCloud(config, silent);
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toThrow(
      new RegExp(`^PLUMBLINE_DATA_DIR="${notADirectory}": cannot open the database .*EEXIST`),
    );
  });
});
