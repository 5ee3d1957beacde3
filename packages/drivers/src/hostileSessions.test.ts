import { createServer, type Server, Socket } from 'node:net';
import { type DeviceFaults, SimServer, SshTestDevice } from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliSession } from './CliSession.ts';
import { type DriverError, isDriverError } from './DriverError.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';
import { type OpenCliSessionOptions, openCliSession } from './openCliSession.ts';

const servers: SimServer[] = [];
const sessions: CliSession[] = [];
const proxies: Server[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const proxy of proxies.splice(0)) proxy.close();
});

const prompt = /^[\w.-]+(\(config\))?# ?$/;
const pager = { pattern: / --More-- $/, response: ' ' };

async function startDevice(
  options: { hostname?: string; faults?: DeviceFaults; legacy?: boolean; jump?: boolean } = {},
) {
  const faults = options.faults ?? {};
  const device = new SshTestDevice({ hostname: options.hostname ?? 'r1', faults });
  const server = new SimServer();
  servers.push(server);
  const endpoint = await server.add({
    device,
    username: 'admin',
    password: 'pw-1',
    faults,
    ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
    ...(options.jump === undefined ? {} : { allowForwarding: options.jump }),
  });
  return { device, endpoint, faults };
}

async function open(port: number, extra: Partial<OpenCliSessionOptions> = {}) {
  const session = await openCliSession({
    host: '127.0.0.1',
    port,
    username: 'admin',
    password: 'pw-1',
    hostKeyStore: new MemoryHostKeyStore(),
    promptPattern: prompt,
    pager,
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 10_000,
    ...extra,
  });
  sessions.push(session);
  return session;
}

async function failureOf(promise: Promise<unknown>): Promise<DriverError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isDriverError(outcome)) throw new Error(`expected a DriverError, got ${String(outcome)}`);
  return outcome;
}

/** A TCP relay that counts what the device sends, to see how much the session let through. */
async function countingProxy(targetPort: number) {
  const counter = { deviceBytes: 0 };
  const proxy = createServer((client: Socket) => {
    const upstream = new Socket();
    upstream.connect(targetPort, '127.0.0.1');
    upstream.on('data', (data: Buffer) => {
      counter.deviceBytes += data.length;
    });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  proxies.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const address = proxy.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, counter };
}

describe('a CLI session facing hostile output', () => {
  it('strips colour, erase-line and cursor escapes from output and prompts', async () => {
    const { endpoint } = await startDevice({ faults: { ansiNoise: true } });
    const session = await open(endpoint.port);
    expect(await session.send('show running-config')).toBe(
      'Building configuration...\n\nhostname r1\nend\n',
    );
    expect(await session.send('echo plain')).toBe('plain\n');
  });

  it('stops at maxOutputBytes of a 50 MB answer, closes, and reads no more of it', async () => {
    const flood = { on: /^show tech/, bytes: 50 * 1024 * 1024 };
    const { endpoint } = await startDevice({ faults: { flood } });
    const { port, counter } = await countingProxy(endpoint.port);
    const session = await open(port, { maxOutputBytes: 1024 * 1024 });

    const error = await failureOf(session.send('show tech-support'));
    expect(error.code).toBe('output_too_large');
    expect(error.message).toContain('exceeded 1048576 bytes');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(session.closed).toBe(true);
    await failureOf(session.send('echo after')).then((after) =>
      expect(after.code).toBe('output_too_large'),
    );
    // What crossed the wire is the limit plus SSH windows and socket buffers, not 50 MB.
    expect(counter.deviceBytes).toBeLessThan(12 * 1024 * 1024);
  });

  it('gives up on a pager that never ends after maxPages pages', async () => {
    const { endpoint } = await startDevice({ faults: { endlessPaging: true } });
    const session = await open(endpoint.port, { maxPages: 40 });
    await session.send('terminal length 4');
    const error = await failureOf(session.send('lines 10'));
    expect(error.code).toBe('output_too_large');
    expect(error.message).toContain('still paging after 40 pages');
  });

  it('times out on a command the device never answers', async () => {
    const { endpoint } = await startDevice({ faults: { hangOn: /^echo stuck/ } });
    const session = await open(endpoint.port);
    const error = await failureOf(session.send('echo stuck', { timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.details.line).toBe('echo stuck');
    expect(error.message).toContain('within 300 ms');
  });

  it('reports connection_lost when the device drops the connection mid-command', async () => {
    const { endpoint, faults } = await startDevice();
    const session = await open(endpoint.port);
    faults.disconnectOn = /^lines/;
    const error = await failureOf(session.send('lines 5000'));
    expect(error.code).toBe('connection_lost');
    expect(error.message).toContain('"lines 5000"');
  });

  it('reads output slowed to a trickle completely', async () => {
    const { endpoint } = await startDevice({ faults: { slowOutputBytesPerSecond: 2000 } });
    const session = await open(endpoint.port);
    expect(await session.send('lines 3')).toBe('line 1 of 3\nline 2 of 3\nline 3 of 3\n');
  });
});

describe('a CLI session login', () => {
  it('is refused with auth_failed while the device rejects logins', async () => {
    const { endpoint } = await startDevice({ faults: { rejectLogins: true } });
    const error = await failureOf(open(endpoint.port));
    expect(error.code).toBe('auth_failed');
    expect(error.message).not.toContain('pw-1');
  });

  it('refuses a changed host key and shows both fingerprints', async () => {
    const { endpoint, faults } = await startDevice();
    const hostKeyStore = new MemoryHostKeyStore();
    await (await open(endpoint.port, { hostKeyStore })).close();
    expect(await hostKeyStore.get(`127.0.0.1:${endpoint.port}`)).toBe(endpoint.hostKeyFingerprint);

    faults.changeHostKey = true;
    const error = await failureOf(open(endpoint.port, { hostKeyStore }));
    expect(error.code).toBe('host_key_changed');
    expect(error.details.expectedFingerprint).toBe(endpoint.hostKeyFingerprint);
    expect(error.details.actualFingerprint).toMatch(/^SHA256:/);
    expect(error.details.actualFingerprint).not.toBe(endpoint.hostKeyFingerprint);
    expect(error.message).toContain(endpoint.hostKeyFingerprint);
    expect(error.message).toContain(error.details.actualFingerprint ?? '-');
  });

  it('negotiates with an old-IOS device only when legacy algorithms are asked for', async () => {
    const { endpoint } = await startDevice({ legacy: true });
    const refused = await failureOf(open(endpoint.port));
    expect(refused.code).toBe('protocol_error');
    const session = await open(endpoint.port, { legacyAlgorithms: true });
    expect(await session.send('echo old')).toBe('old\n');
  });

  it('reaches a device through two jump hosts, pinning every hop', async () => {
    const first = await startDevice({ hostname: 'jump1', jump: true });
    const second = await startDevice({ hostname: 'jump2', jump: true });
    const target = await startDevice({ hostname: 'r9' });
    const hostKeyStore = new MemoryHostKeyStore();
    const hop = { host: '127.0.0.1', username: 'admin', password: 'pw-1' };
    const session = await open(target.endpoint.port, {
      hostKeyStore,
      jumpHosts: [
        { ...hop, port: first.endpoint.port },
        { ...hop, port: second.endpoint.port },
      ],
    });
    expect(await session.send('show running-config')).toContain('hostname r9\n');
    for (const { endpoint } of [first, second, target]) {
      expect(await hostKeyStore.get(`127.0.0.1:${endpoint.port}`)).toBe(
        endpoint.hostKeyFingerprint,
      );
    }
  });
});
