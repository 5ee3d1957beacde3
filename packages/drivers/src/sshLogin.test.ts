import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectDevice } from './connectDevice.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';
import { CountingClock } from './testing/CountingClock.ts';
import { failureOf } from './testing/failureOf.ts';
import { sessionFixtures, testPassword } from './testing/sessionFixtures.ts';
import { startScriptedSshServer } from './testing/startScriptedSshServer.ts';

const { startDevice, open, onCleanup } = sessionFixtures();

/** A cEOS-like box that offers keyboard-interactive only, with cEOS's question. */
async function keyboardOnlyDevice() {
  const server = await startScriptedSshServer({
    authMethods: ['keyboard-interactive'],
    keyboardPrompt: '(admin@spine_1) Password: ',
    password: testPassword,
    greeting: '\nLast login: Tue Oct  4 10:13:42 2022\n',
    prompt: 'spine_1# ',
    answer(line, write, done) {
      write(line === 'show version' ? 'Arista cEOSLab\n' : `% Invalid input\n`);
      done();
    },
  });
  onCleanup(() => server.close());
  return server;
}

/** Accepts TCP connections and never says a word, like a port behind a broken NAT. */
async function silentPort() {
  const sockets = new Set<Socket>();
  const connected: { count: number; wait: Promise<void> } = { count: 0, wait: Promise.resolve() };
  let arrived: () => void = () => undefined;
  connected.wait = new Promise((resolve) => {
    arrived = resolve;
  });
  const server = createServer((socket) => {
    sockets.add(socket);
    connected.count += 1;
    arrived();
  });
  onCleanup(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, connected };
}

describe('SSH login methods', () => {
  it('logs in by keyboard-interactive when the device offers nothing else', async () => {
    const server = await keyboardOnlyDevice();
    const session = await open(server.port, { promptPattern: /^spine_1# ?$/ });
    expect(await session.send('show version')).toBe('Arista cEOSLab\n');
    expect(server.loginMethods).toEqual(['keyboard-interactive']);
  });

  it('refuses a wrong keyboard-interactive password with auth_failed', async () => {
    const server = await keyboardOnlyDevice();
    const error = await failureOf(
      open(server.port, { promptPattern: /^spine_1# ?$/, password: 'not-the-pw-1' }),
    );
    expect(error.code).toBe('auth_failed');
    expect(error.message).not.toContain('not-the-pw-1');
    expect(server.loginMethods).toEqual([]);
  });

  it('reports a private key it cannot read as auth_failed, without the key', async () => {
    const { endpoint } = await startDevice();
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END';
    const error = await failureOf(open(endpoint.port, { privateKey }));
    expect(error.code).toBe('auth_failed');
    expect(error.message).toMatch(/private key could not be read/);
    expect(error.message).not.toContain('bm90IGEga2V5');
  });
});

describe('SSH algorithms', () => {
  it('negotiates SHA-1 kex and CBC with an old-IOS device only when asked to', async () => {
    const { endpoint } = await startDevice({ legacy: true });
    const refused = await failureOf(open(endpoint.port));
    expect(refused.code).toBe('protocol_error');
    expect(refused.message).toMatch(/no matching key exchange algorithm/i);

    const session = await open(endpoint.port, { legacyAlgorithms: true });
    expect(session.algorithms).toEqual({
      kex: 'diffie-hellman-group14-sha1',
      serverHostKey: 'ssh-rsa',
      cipher: 'aes128-cbc',
      mac: 'hmac-sha1',
    });
    expect(await session.send('echo old')).toBe('old\n');
  });

  it('still negotiates modern algorithms with a modern device when legacy ones are appended', async () => {
    const { endpoint } = await startDevice();
    const session = await open(endpoint.port, { legacyAlgorithms: true });
    expect(session.algorithms?.kex).toMatch(/^(curve25519-sha256|ecdh-sha2-)/);
    expect(session.algorithms?.serverHostKey).toBe('ssh-ed25519');
    expect(session.algorithms?.cipher).not.toMatch(/cbc/);
    expect(session.algorithms?.mac).not.toBe('hmac-sha1');
  });
});

describe('SSH connect deadlines', () => {
  it('gives up with timeout on a port that accepts TCP but never speaks SSH', async () => {
    const { port, connected } = await silentPort();
    const clock = new CountingClock();
    const attempt = failureOf(open(port, { timers: clock, connectTimeoutMs: 15_000 }));
    await connected.wait;
    await clock.untilTimersSet(1);
    clock.advance(15_000);
    const error = await attempt;
    expect(error.code).toBe('timeout');
    expect(error.message).toContain(`127.0.0.1:${port}: no SSH login within 15000 ms`);
    expect(connected.count).toBe(1);
  });

  it('gives up with timeout when the login never shows the expected prompt', async () => {
    const { endpoint } = await startDevice();
    const clock = new CountingClock();
    const attempt = failureOf(
      open(endpoint.port, { timers: clock, connectTimeoutMs: 15_000, promptPattern: /^nope> $/ }),
    );
    // Deadlines in order: the SSH login, the shell request, the wait for the first prompt.
    await clock.untilTimersSet(3);
    clock.advance(15_000);
    const error = await attempt;
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/no match for \/\^nope> \$\/ within 15000 ms/);
  });

  it('gives up with timeout when the device never opens the shell', async () => {
    const server = await startScriptedSshServer({
      authMethods: ['password'],
      password: testPassword,
      greeting: '',
      prompt: 'r1# ',
      ignoreShellRequests: true,
      answer: (_line, _write, done) => done(),
    });
    onCleanup(() => server.close());
    const clock = new CountingClock();
    const attempt = failureOf(open(server.port, { timers: clock, connectTimeoutMs: 15_000 }));
    // The first deadline covers the SSH login, the second the shell request.
    await clock.untilTimersSet(2);
    clock.advance(15_000);
    const error = await attempt;
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('no shell within 15000 ms');
    expect(server.loginMethods).toEqual(['password']);
  });
});

describe('host-key pinning', () => {
  it('records the first key and refuses a changed one, showing both fingerprints', async () => {
    const { endpoint, faults } = await startDevice();
    const hostKeyStore = new MemoryHostKeyStore();
    await (await open(endpoint.port, { hostKeyStore })).close();
    expect(await hostKeyStore.get(`127.0.0.1:${endpoint.port}`)).toBe(endpoint.hostKeyFingerprint);

    faults.changeHostKey = true;
    const error = await failureOf(open(endpoint.port, { hostKeyStore }));
    expect(error.code).toBe('host_key_changed');
    const actual = error.details.actualFingerprint ?? '-';
    expect(error.details.expectedFingerprint).toBe(endpoint.hostKeyFingerprint);
    expect(actual).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(actual).not.toBe(endpoint.hostKeyFingerprint);
    expect(error.message).toContain(`expected ${endpoint.hostKeyFingerprint}, found ${actual}`);
    expect(await hostKeyStore.get(`127.0.0.1:${endpoint.port}`)).toBe(endpoint.hostKeyFingerprint);

    await hostKeyStore.delete(`127.0.0.1:${endpoint.port}`);
    await (await open(endpoint.port, { hostKeyStore })).close();
    expect(await hostKeyStore.get(`127.0.0.1:${endpoint.port}`)).toBe(actual);
  });

  it('is refused with auth_failed while the device rejects logins', async () => {
    const { endpoint } = await startDevice({ faults: { rejectLogins: true } });
    const error = await failureOf(open(endpoint.port));
    expect(error.code).toBe('auth_failed');
  });
});

describe('jump hosts', () => {
  const hop = { host: '127.0.0.1', username: 'admin', password: testPassword };

  it('reaches a device through two jump hosts, pinning every hop', async () => {
    const first = await startDevice({ hostname: 'jump1', jump: true });
    const second = await startDevice({ hostname: 'jump2', jump: true });
    const target = await startDevice({ hostname: 'r9' });
    const hostKeyStore = new MemoryHostKeyStore();
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

  it('carries the session through the hop: when the jump host goes, so does the session', async () => {
    const jump = await startDevice({ hostname: 'jump1', jump: true });
    const target = await startDevice({ hostname: 'r9' });
    const session = await open(target.endpoint.port, {
      jumpHosts: [{ ...hop, port: jump.endpoint.port }],
    });
    expect(await session.send('echo through')).toBe('through\n');
    const lost = failureOf(session.send('lines 3'));
    await jump.endpoint.close();
    expect((await lost).code).toBe('connection_lost');
    expect(session.closed).toBe(true);
  });

  it('reports a jump host that does not forward as unreachable, naming the hop', async () => {
    const jump = await startDevice({ hostname: 'jump1', jump: false });
    const target = await startDevice({ hostname: 'r9' });
    const error = await failureOf(
      open(target.endpoint.port, { jumpHosts: [{ ...hop, port: jump.endpoint.port }] }),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain(`jump host 127.0.0.1:${jump.endpoint.port} could not reach`);
  });

  it('reports a jump host refusing the login as auth_failed for that hop', async () => {
    const jump = await startDevice({ hostname: 'jump1', jump: true });
    const target = await startDevice({ hostname: 'r9' });
    const error = await failureOf(
      open(target.endpoint.port, {
        jumpHosts: [{ ...hop, password: 'jump-secret-9', port: jump.endpoint.port }],
      }),
    );
    expect(error.code).toBe('auth_failed');
    expect(error.details.device).toBe(`127.0.0.1:${jump.endpoint.port}`);
    expect(error.message).not.toContain('jump-secret-9');
  });
});

describe('secrets in errors', () => {
  it('never puts the password in a message, its details or its causes', async () => {
    const secret = 'Sup3r-Secret-Pa55';
    const legacy = await startDevice({ legacy: true });
    const jump = await startDevice({ hostname: 'jump1', jump: true });
    const closed = await startDevice();
    const closedPort = closed.endpoint.port;
    await closed.endpoint.close();
    const connect = (port: number, extra: object = {}) =>
      failureOf(
        connectDevice({
          platform: 'cisco_ios',
          host: '127.0.0.1',
          port,
          username: 'admin',
          password: secret,
          hostKeyStore: new MemoryHostKeyStore(),
          ...extra,
        }),
      );
    const errors = await Promise.all([
      connect(legacy.endpoint.port),
      connect(legacy.endpoint.port, { passphrase: secret, privateKey: 'garbage' }),
      connect(closedPort),
      connect(legacy.endpoint.port, { platform: 'cisco_xr' }),
      connect(legacy.endpoint.port, { password: `${secret}${'x'.repeat(2000)}` }),
      connect(legacy.endpoint.port, {
        jumpHosts: [
          { host: '127.0.0.1', port: jump.endpoint.port, username: 'admin', password: secret },
        ],
      }),
    ]);
    expect(errors.map((error) => error.code)).toEqual([
      'auth_failed',
      'auth_failed',
      'unreachable',
      'unsupported_platform',
      'protocol_error',
      'auth_failed',
    ]);
    for (const error of errors) {
      const causes: unknown[] = [];
      for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
        causes.push(cause.message, cause.stack);
      }
      expect(JSON.stringify([error.details, ...causes])).not.toContain(secret);
    }
  });
});
