import { createLogger } from '@plumbline/log';
import {
  type CloudFrame,
  type FrameLink,
  type FrameOfType,
  streamChunkBytes,
  streamWindowBytes,
} from '@plumbline/proto';
import { describe, expect, it, vi } from 'vitest';
import { TunnelHttpClient } from './TunnelHttpClient.ts';

/**
 * The cloud's end of a link, recorded: what the client sends is kept for the test to read, and
 * the test plays the agent by handing frames and data to the client.
 */
class RecordedLink implements FrameLink<CloudFrame> {
  readonly frames: CloudFrame[] = [];
  readonly data: { streamId: number; bytes: number }[] = [];
  closed = false;
  buffered = 0;
  private readonly writable = new Set<() => void>();

  send(frame: CloudFrame): void {
    if (!this.closed) this.frames.push(frame);
  }

  sendData(streamId: number, bytes: Uint8Array): void {
    if (!this.closed) this.data.push({ streamId, bytes: bytes.byteLength });
  }

  bufferedBytes(): number {
    return this.buffered;
  }

  whenWritable(listener: () => void): () => void {
    if (this.buffered < 256 * 1024) {
      queueMicrotask(listener);
      return () => {};
    }
    this.writable.add(listener);
    return () => this.writable.delete(listener);
  }

  drain(): void {
    this.buffered = 0;
    for (const listener of [...this.writable]) listener();
    this.writable.clear();
  }

  ofType<T extends CloudFrame['type']>(type: T): FrameOfType<CloudFrame, T>[] {
    return this.frames.filter((frame): frame is FrameOfType<CloudFrame, T> => frame.type === type);
  }

  dataBytes(streamId: number): number {
    return this.data.filter((d) => d.streamId === streamId).reduce((sum, d) => sum + d.bytes, 0);
  }
}

function setUp(options: { maxConcurrentStreams?: number } = {}) {
  const link = new RecordedLink();
  const logger = createLogger({ name: 'test', level: 'silent' });
  const client = new TunnelHttpClient(link, { logger, agentId: 'agent-7', ...options });
  const respond = (streamId: number, status = 200) =>
    client.handleFrame({
      type: 'http.response',
      streamId,
      status,
      statusText: 'OK',
      headers: [['content-type', 'application/octet-stream']],
    });
  return { link, client, respond };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TunnelHttpClient', () => {
  it('sends http.request with the absolute URL, header pairs and the default deadline', async () => {
    const { link, client } = setUp();

    void client.fetch('http://nautobot.example/api/status/?x=1', {
      headers: { authorization: 'Token t' },
    });

    expect(link.ofType('http.request')).toEqual([
      {
        type: 'http.request',
        streamId: 1,
        method: 'GET',
        url: 'http://nautobot.example/api/status/?x=1',
        headers: [['authorization', 'Token t']],
        hasBody: false,
        timeoutMs: 60_000,
      },
    ]);
  });

  it('grants the agent credit only as the body is read, never ahead of the reader', async () => {
    const { link, client, respond } = setUp();
    const pending = client.fetch('http://nautobot.example/api/blob');
    respond(1);
    const response = await pending;
    const chunk = Buffer.alloc(streamChunkBytes);
    for (let sent = 0; sent < streamWindowBytes; sent += chunk.byteLength) {
      client.handleData(1, chunk);
    }
    await settle();
    expect(link.ofType('stream.credit')).toEqual([]);

    const reader = response.body?.getReader();
    if (!reader) throw new Error('expected a body');
    await reader.read();

    expect(link.ofType('stream.credit')).toEqual([
      { type: 'stream.credit', streamId: 1, bytes: streamChunkBytes },
    ]);
  });

  it('fails the body and cancels the stream when the agent sends beyond its credit', async () => {
    const { link, client, respond } = setUp();
    const pending = client.fetch('http://nautobot.example/api/blob');
    respond(1);
    const response = await pending;

    client.handleData(1, Buffer.alloc(streamWindowBytes + 1));

    await expect(response.arrayBuffer()).rejects.toMatchObject({
      cause: { code: 'flow_control_violated' },
    });
    expect(link.ofType('stream.cancel')).toEqual([{ type: 'stream.cancel', streamId: 1 }]);
  });

  it('sends a request body up to the window, then only as credit arrives', async () => {
    const { link, client, respond } = setUp();
    const body = new Uint8Array(3 * streamWindowBytes);

    const pending = client.fetch('http://nautobot.example/api/upload', { method: 'POST', body });
    await vi.waitFor(() => expect(link.dataBytes(1)).toBe(streamWindowBytes));
    await settle();
    expect(link.dataBytes(1)).toBe(streamWindowBytes);
    expect(link.ofType('http.request')[0]?.headers).toContainEqual([
      'content-length',
      String(body.byteLength),
    ]);

    client.handleFrame({ type: 'stream.credit', streamId: 1, bytes: streamWindowBytes * 2 });
    await vi.waitFor(() => expect(link.ofType('stream.end')).toHaveLength(1));
    expect(link.dataBytes(1)).toBe(3 * streamWindowBytes);
    expect(link.data.every((d) => d.bytes <= streamChunkBytes)).toBe(true);
    respond(1, 201);
    expect((await pending).status).toBe(201);
  });

  it('holds request data while the socket buffers more than the pause mark', async () => {
    const { link, client } = setUp();
    link.buffered = 2 * 1024 * 1024;

    void client.fetch('http://nautobot.example/api/upload', {
      method: 'POST',
      body: new Uint8Array(100),
    });
    await settle();
    expect(link.dataBytes(1)).toBe(0);

    link.drain();
    await vi.waitFor(() => expect(link.dataBytes(1)).toBe(100));
  });

  it('rejects with a TypeError carrying the agent error code and message', async () => {
    const { client } = setUp();
    const pending = client.fetch('http://nautobot.example/api/');

    client.handleFrame({
      type: 'stream.error',
      streamId: 1,
      error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.5:443' },
    });

    const error = await pending.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({
      message: 'connect ECONNREFUSED 10.0.0.5:443',
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.5:443' },
    });
  });

  it('answers 204 with an empty body and forgets the stream on its end', async () => {
    const { client, respond } = setUp();
    const pending = client.fetch('http://nautobot.example/api/x', { method: 'DELETE' });

    respond(1, 204);
    client.handleFrame({ type: 'stream.end', streamId: 1 });

    const response = await pending;
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(client.openStreams).toBe(0);
  });

  it('queues requests beyond maxConcurrentStreams and sends them as streams finish', async () => {
    const { link, client, respond } = setUp({ maxConcurrentStreams: 1 });
    const first = client.fetch('http://nautobot.example/api/1');
    const second = client.fetch('http://nautobot.example/api/2');
    await settle();
    expect(link.ofType('http.request').map((frame) => frame.url)).toEqual([
      'http://nautobot.example/api/1',
    ]);

    respond(1);
    client.handleFrame({ type: 'stream.end', streamId: 1 });
    await first;
    await vi.waitFor(() => expect(link.ofType('http.request')).toHaveLength(2));
    respond(2);
    client.handleFrame({ type: 'stream.end', streamId: 2 });

    expect((await second).status).toBe(200);
  });

  it('a request aborted while queued is never sent', async () => {
    const { link, client } = setUp({ maxConcurrentStreams: 1 });
    void client.fetch('http://nautobot.example/api/1');
    const controller = new AbortController();
    const queued = client.fetch('http://nautobot.example/api/2', { signal: controller.signal });

    controller.abort();

    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(link.ofType('http.request')).toHaveLength(1);
  });

  it('fails waiting and queued requests when the link closes', async () => {
    const { client } = setUp({ maxConcurrentStreams: 1 });
    const sent = client.fetch('http://nautobot.example/api/1?token=x');
    const queued = client.fetch('http://nautobot.example/api/2');
    const queuedOutcome = queued.catch((error: unknown) => error);

    client.linkClosed('dead_peer');

    await expect(sent).rejects.toMatchObject({
      message: 'agent agent-7 disconnected during GET http://nautobot.example/api/1 (dead_peer)',
      cause: { code: 'agent_disconnected' },
    });
    expect(await queuedOutcome).toMatchObject({ cause: { code: 'agent_disconnected' } });
  });

  it('takes late frames for its finished streams and leaves unknown streams to others', async () => {
    const { client, respond } = setUp();
    const pending = client.fetch('http://nautobot.example/api/1');
    respond(1);
    client.handleFrame({ type: 'stream.end', streamId: 1 });
    await pending;

    expect(client.handleFrame({ type: 'stream.credit', streamId: 1, bytes: 10 })).toBe(true);
    expect(client.handleFrame({ type: 'stream.end', streamId: 99 })).toBe(false);
    expect(client.handleFrame({ type: 'pong', pingSentAtMs: 1 })).toBe(false);
  });
});
