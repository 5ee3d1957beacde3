import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@plumbline/log';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadCloudConfig } from './config/CloudConfig.ts';
import { type RunningCloud, startCloud } from './startCloud.ts';
import { Store } from './store/Store.ts';
import { addTenantFixture } from './testing/createTestCloud.ts';

const silent = createLogger({ name: 'test', level: 'silent' });

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What a raw socket receives: `until` waits for some text, `all` for the socket to close. */
function received(socket: Socket) {
  let text = '';
  const waiters: { expected: string; resolve: () => void }[] = [];
  socket.on('data', (chunk) => {
    text += chunk.toString();
    for (const waiter of waiters.filter((w) => text.includes(w.expected))) waiter.resolve();
  });
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  return {
    until: (expected: string) =>
      new Promise<void>((resolve) => {
        if (text.includes(expected)) resolve();
        else waiters.push({ expected, resolve });
      }),
    all: () => closed,
  };
}

/**
 * Starts a POST whose body is held back. With `Expect: 100-continue` the server answers
 * "100 Continue" once it has read the headers, so the request is known to be in flight.
 */
async function startSlowPost(port: number, token: string, body: string) {
  const socket = await connectTo(port);
  const answer = received(socket);
  socket.write(
    'POST /api/v1/tenants/acme/members HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
      `Expect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  await answer.until('HTTP/1.1 100 Continue');
  return { socket, answer };
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
    const { socket, answer } = await startSlowPost(port, t.users.admin.token, body);

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await expect(connectTo(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(stopped).toBe(false);

    socket.write(body);
    expect(await answer.all()).toMatch(/\r\n\r\nHTTP\/1.1 201 Created\r\n/);
    await stopping;
    expect(stopped).toBe(true);
    await expect(running.store.ping()).rejects.toThrow(/not open/);
    cloud = undefined;

    const reopened = Store.open({ dataDir });
    expect(await reopened.findUserByEmail('late@acme.test')).toMatchObject({ hasPassword: false });
    await reopened.close();
  });

  it('cuts a request that outlasts the shutdown grace period, so stopping cannot hang', async () => {
    const running = await start({ PLUMBLINE_SHUTDOWN_GRACE_MS: '0' });
    const port = Number(new URL(running.url).port);
    const fakeCloud = { store: running.store } as Parameters<typeof addTenantFixture>[0];
    const t = await addTenantFixture(fakeCloud, 'acme', { withPasswords: false });

    const body = JSON.stringify({ email: 'stuck@acme.test', role: 'viewer' });
    const { answer } = await startSlowPost(port, t.users.admin.token, body);
    await running.stop();
    cloud = undefined;

    expect(await answer.all()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    const reopened = Store.open({ dataDir });
    expect(await reopened.findUserByEmail('stuck@acme.test')).toBeUndefined();
    await reopened.close();
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
