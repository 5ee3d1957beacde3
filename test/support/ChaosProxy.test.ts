import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChaosProxy } from './ChaosProxy.ts';
import { seededRandom } from './seededRandom.ts';

/** A TCP server on 127.0.0.1 that keeps what it reads per connection, and can echo it. */
class TargetServer {
  readonly sockets: Socket[] = [];
  readonly received: Buffer[][] = [];
  private readonly waiters: (() => void)[] = [];

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(options: { echo: boolean }): Promise<TargetServer> {
    const server = createServer({ noDelay: true });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const target = new TargetServer(server, address.port);
    server.on('connection', (socket) => {
      const chunks: Buffer[] = [];
      target.sockets.push(socket);
      target.received.push(chunks);
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (options.echo) socket.write(chunk);
        for (const wake of target.waiters.splice(0)) wake();
      });
      for (const wake of target.waiters.splice(0)) wake();
    });
    return target;
  }

  text(connection = 0): string {
    return Buffer.concat(this.received[connection] ?? []).toString();
  }

  /** Resolves once `check` holds; re-checked whenever a connection or bytes arrive. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves on 'close' (events.once would reject on the 'error' a reset brings first). */
function closeOf(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** A client socket and everything it read, with the way it ended. */
async function dial(port: number) {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  const state = { text: '', error: undefined as NodeJS.ErrnoException | undefined, ended: false };
  socket.on('data', (chunk: Buffer) => {
    state.text += chunk.toString();
  });
  socket.on('end', () => {
    state.ended = true;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    state.error = error;
  });
  const closed = closeOf(socket);
  await once(socket, 'connect');
  const readUntil = async (text: string) => {
    while (!state.text.includes(text)) await once(socket, 'data');
  };
  return { socket, state, closed, readUntil };
}

/** A client through the proxy together with the proxy's side of its connection. */
async function dialThrough(proxy: ChaosProxy) {
  const next = proxy.nextConnection();
  const client = await dial(proxy.port);
  return { ...client, connection: await next };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { echo?: boolean; seed?: number } = {}) {
  const target = await TargetServer.start({ echo: options.echo ?? true });
  cleanups.push(() => target.close());
  const proxy = await ChaosProxy.start({
    targetPort: target.port,
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  cleanups.push(() => proxy.close());
  return { target, proxy };
}

describe('ChaosProxy', () => {
  it('passes bytes both ways and counts connections and bytes', async () => {
    const { proxy } = await setUp();
    const client = await dial(proxy.port);

    client.socket.write('hello through the proxy');
    await client.readUntil('hello through the proxy');

    const stats = proxy.stats();
    expect(stats.accepted).toBe(1);
    expect(stats.live).toBe(1);
    expect(stats.up).toEqual({ received: 23, forwarded: 23, dropped: 0 });
    expect(stats.down).toEqual({ received: 23, forwarded: 23, dropped: 0 });
    client.socket.end();
    await client.closed;
  });

  it('forwards a clean close from either side', async () => {
    const { proxy, target } = await setUp();
    const client = await dial(proxy.port);
    await target.until(() => target.sockets.length === 1);

    target.sockets[0]?.end();
    await client.closed;

    expect(client.state.ended).toBe(true);
    expect(client.state.error).toBeUndefined();
  });

  it('holds each chunk for delayMs and keeps their order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { proxy, target } = await setUp({ echo: false });
    proxy.setMode({ kind: 'delay', delayMs: 100 });
    const { connection, ...client } = await dialThrough(proxy);

    client.socket.write('first ');
    await connection.whenReceived('up', 6);
    vi.advanceTimersByTime(60);
    client.socket.write('second');
    await connection.whenReceived('up', 12);
    vi.advanceTimersByTime(39);
    expect(connection.bytes('up').forwarded).toBe(0);

    vi.advanceTimersByTime(1);
    expect(connection.bytes('up').forwarded).toBe(6);
    await target.until(() => target.text() === 'first ');

    vi.advanceTimersByTime(60);
    await target.until(() => target.text() === 'first second');
    client.socket.destroy();
  });

  it('drops bytes in a black hole and tells neither side when the other goes', async () => {
    const { proxy, target } = await setUp();
    proxy.setMode({ kind: 'drop' });
    const { connection, ...client } = await dialThrough(proxy);
    await target.until(() => target.sockets.length === 1);

    client.socket.write('into the void');
    await connection.whenReceived('up', 13);
    target.sockets[0]?.write('back');
    await connection.whenReceived('down', 4);
    target.sockets[0]?.destroy();
    await connection.whenSocketClosed('target');

    expect(connection.isClosed).toBe(false);
    expect(client.socket.destroyed).toBe(false);
    expect(connection.bytes('up')).toEqual({ received: 13, forwarded: 0, dropped: 13 });
    expect(connection.bytes('down')).toEqual({ received: 4, forwarded: 0, dropped: 4 });
    expect(target.text()).toBe('');

    connection.cut();
    await client.closed;
    expect(client.state.text).toBe('');
  });

  it('cuts both sides with a reset', async () => {
    const { proxy, target } = await setUp();
    const client = await dialThrough(proxy);
    await target.until(() => target.sockets.length === 1);
    const targetSide = target.sockets[0] as Socket;
    const targetClosed = closeOf(targetSide);
    let targetError: NodeJS.ErrnoException | undefined;
    targetSide.on('error', (error: NodeJS.ErrnoException) => {
      targetError = error;
    });

    expect(proxy.cutAll()).toBe(1);
    await Promise.all([client.closed, targetClosed]);

    expect(client.state.error?.code).toBe('ECONNRESET');
    expect(targetError?.code).toBe('ECONNRESET');
    expect(proxy.stats().live).toBe(0);
  });

  it('cuts mid-frame: forwards a seeded part of the next chunk, then ends the link', async () => {
    const { proxy, target } = await setUp({ echo: false, seed: 42 });
    const { connection, ...client } = await dialThrough(proxy);
    await target.until(() => target.sockets.length === 1);
    const targetSide = target.sockets[0] as Socket;
    const targetEnded = once(targetSide, 'end');

    const cut = connection.cutMidFrame('up');
    client.socket.write(Buffer.alloc(1000, 'x'));
    const { direction, forwardedBytes, chunkBytes } = await cut;
    await targetEnded;
    await client.closed;

    expect(direction).toBe('up');
    expect(chunkBytes).toBeGreaterThan(1);
    expect(chunkBytes).toBeLessThanOrEqual(1000);
    expect(forwardedBytes).toBe(seededRandom(42).intBetween(1, chunkBytes - 1));
    expect(target.text()).toBe('x'.repeat(forwardedBytes));
    expect(client.state.error?.code).toBe('ECONNRESET');
    expect(connection.bytes('up').dropped).toBe(1000 - forwardedBytes);
  });

  it('arms a mid-frame cut on every open connection at once', async () => {
    const { proxy } = await setUp({ seed: 7 });
    const clients = [await dialThrough(proxy), await dialThrough(proxy)];

    const cuts = proxy.cutAllMidFrame('down');
    for (const client of clients) client.socket.write('0123456789');
    const done = await Promise.all(cuts);
    await Promise.all(clients.map((client) => client.closed));

    for (const [index, { forwardedBytes, chunkBytes }] of done.entries()) {
      expect(forwardedBytes).toBeLessThan(chunkBytes);
      expect(clients[index]?.state.text).toBe('0123456789'.slice(0, forwardedBytes));
      expect(clients[index]?.state.ended).toBe(true);
    }
    expect(proxy.stats().live).toBe(0);
  });

  it('refuses new connections until admitted, and keeps the open ones', async () => {
    const { proxy } = await setUp();
    const before = await dial(proxy.port);

    proxy.refuse();
    const refused = connect({ port: proxy.port, host: '127.0.0.1' });
    const refusedError = once(refused, 'error');
    const [error] = (await refusedError) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');
    before.socket.write('still here');
    await before.readUntil('still here');

    proxy.admit();
    const after = await dial(proxy.port);
    after.socket.write('welcome back');
    await after.readUntil('welcome back');
    expect(proxy.stats()).toMatchObject({ accepted: 2, refused: 1, live: 2 });
    before.socket.destroy();
    after.socket.destroy();
  });

  it('refuses for a while and then admits again on its own', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { proxy } = await setUp();

    proxy.refuseFor(5_000);
    vi.advanceTimersByTime(4_999);
    expect(proxy.isRefusing).toBe(true);
    vi.advanceTimersByTime(1);
    expect(proxy.isRefusing).toBe(false);

    const client = await dial(proxy.port);
    client.socket.write('open again');
    await client.readUntil('open again');
    client.socket.destroy();
  });

  it('sends later connections to a new target, and resets a client whose target is down', async () => {
    const { proxy, target: first } = await setUp();
    const second = await TargetServer.start({ echo: false });
    cleanups.push(() => second.close());

    proxy.setTarget(second.port);
    const client = await dial(proxy.port);
    client.socket.write('to the second');
    await second.until(() => second.text() === 'to the second');
    expect(first.sockets).toHaveLength(0);

    await second.close();
    const orphan = connect({ port: proxy.port, host: '127.0.0.1' });
    orphan.on('error', () => {});
    await closeOf(orphan);
    expect(proxy.stats()).toMatchObject({ accepted: 1, targetFailures: 1 });
    client.socket.destroy();
  });

  it('hands the next forwarded connection to whoever waits for it', async () => {
    const { proxy } = await setUp();
    const next = proxy.nextConnection();

    const client = await dial(proxy.port);
    const connection = await next;
    expect(proxy.connections()).toEqual([connection]);
    client.socket.write('ping');
    await client.readUntil('ping');

    expect(connection.bytes('up').forwarded).toBe(4);
    client.socket.destroy();
    await connection.closed;
    expect(connection.isClosed).toBe(true);
  });
});
