import { createServer, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CountingClock } from './testing/CountingClock.ts';
import { failureOf } from './testing/failureOf.ts';
import { sessionFixtures } from './testing/sessionFixtures.ts';
import { startScriptedSshServer } from './testing/startScriptedSshServer.ts';

const { startDevice, open, onCleanup } = sessionFixtures();

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
  onCleanup(() => proxy.close());
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

  it('counts escape sequences against maxOutputBytes, though they strip to nothing', async () => {
    const noise = '\x1b[0m\x1b[K\x1b[?2004h'.repeat(4096);
    const server = await startScriptedSshServer({
      authMethods: ['password'],
      password: 'pw',
      greeting: '',
      prompt: 'r1# ',
      answer(line, write, done) {
        if (line !== 'show noise') return done();
        for (let i = 0; i < 128; i += 1) write(noise);
      },
    });
    onCleanup(() => server.close());
    const session = await open(server.port, { password: 'pw', maxOutputBytes: 1024 * 1024 });
    const error = await failureOf(session.send('show noise'));
    expect(error.code).toBe('output_too_large');
    expect(error.message).toContain('output of "show noise" exceeded 1048576 bytes');
  });

  it('gives up on a pager that never ends after maxPages pages', async () => {
    const { endpoint } = await startDevice({ faults: { endlessPaging: true } });
    const session = await open(endpoint.port, { maxPages: 40 });
    await session.send('terminal length 4');
    const error = await failureOf(session.send('lines 10'));
    expect(error.code).toBe('output_too_large');
    expect(error.message).toContain('still paging after 40 pages');
  });

  it('times out on a command the device never answers, and closes the session', async () => {
    const { endpoint } = await startDevice({ faults: { hangOn: /^echo stuck/ } });
    const clock = new CountingClock();
    const session = await open(endpoint.port, { timers: clock, commandTimeoutMs: 30_000 });
    const armed = clock.timersSet + 1;
    const attempt = failureOf(session.send('echo stuck'));
    await clock.untilTimersSet(armed);
    clock.advance(29_999);
    expect(session.closed).toBe(false);
    clock.advance(1);
    const error = await attempt;
    expect(error.code).toBe('timeout');
    expect(error.details.line).toBe('echo stuck');
    expect(error.message).toContain('no prompt after "echo stuck" within 30000 ms');
    expect(session.closed).toBe(true);
  });

  it('fails a command still waiting when the caller closes the session', async () => {
    const { endpoint } = await startDevice({ faults: { hangOn: /^echo stuck/ } });
    const clock = new CountingClock();
    const session = await open(endpoint.port, { timers: clock });
    const armed = clock.timersSet + 1;
    const attempt = failureOf(session.send('echo stuck'));
    await clock.untilTimersSet(armed);
    await session.close();
    const error = await attempt;
    expect(error.code).toBe('connection_lost');
    expect(error.message).toContain('session closed while waiting for "echo stuck"');
    expect((await failureOf(session.send('echo later'))).code).toBe('connection_lost');
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
