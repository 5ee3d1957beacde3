import type { AddressInfo } from 'node:net';
import {
  type AgentFrame,
  agentFrameSchema,
  type CloudFrame,
  cloudFrameSchema,
  encodeFrame,
  encodeStreamData,
  type FrameHandler,
  type FrameLink,
  FrameReader,
  maxFrameBytes,
  socketResumeBytes,
} from '@plumbline/proto';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A FrameLink over one real `ws` socket, for tests and benchmarks of features that ride on the
 * tunnel (no handshake, no liveness: the real hub and client add those). Incoming messages go
 * through the proto FrameReader; frames are offered to the handlers in turn, stream data and
 * the close to all of them.
 */
export class WsFrameLink<Out extends { type: string }, In extends { type: string }>
  implements FrameLink<Out>
{
  private readonly socket: WebSocket;
  private readonly handlers: FrameHandler<In>[] = [];
  private readonly writableListeners = new Set<() => void>();
  /** Body bytes this side sent as stream data, per stream. */
  readonly dataBytesSent = new Map<number, number>();
  /** Frames this side sent, in order (for assertions on what crossed the wire). */
  readonly framesSent: Out[] = [];
  private isClosed = false;

  constructor(socket: WebSocket, schema: typeof agentFrameSchema | typeof cloudFrameSchema) {
    this.socket = socket;
    const reader = new FrameReader<typeof schema>(schema);
    socket.on('message', (message: Buffer, isBinary: boolean) => {
      const read = reader.read(message, isBinary);
      if (read.kind === 'frame') {
        for (const handler of this.handlers) if (handler.handleFrame(read.frame as In)) break;
      } else if (read.kind === 'data') {
        for (const handler of this.handlers) handler.handleData(read.streamId, read.bytes);
      } else if (read.kind === 'error') {
        socket.close(4400, read.message.slice(0, 120));
      }
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.isClosed = true;
      const why = `socket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      for (const handler of this.handlers) handler.linkClosed(why);
      this.notifyWritable();
    });
  }

  get closed(): boolean {
    return this.isClosed || this.socket.readyState !== WebSocket.OPEN;
  }

  attach(handler: FrameHandler<In>): void {
    this.handlers.push(handler);
  }

  detach(handler: FrameHandler<In>): void {
    const index = this.handlers.indexOf(handler);
    if (index >= 0) this.handlers.splice(index, 1);
  }

  send(frame: Out): void {
    if (this.closed) return;
    this.framesSent.push(frame);
    for (const message of encodeFrame(frame))
      this.socket.send(message, () => this.notifyWritable());
  }

  sendData(streamId: number, bytes: Uint8Array): void {
    if (this.closed) return;
    this.dataBytesSent.set(streamId, (this.dataBytesSent.get(streamId) ?? 0) + bytes.byteLength);
    this.socket.send(encodeStreamData(streamId, bytes), { binary: true }, () =>
      this.notifyWritable(),
    );
  }

  bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  whenWritable(listener: () => void): () => void {
    if (this.closed || this.bufferedBytes() < socketResumeBytes) {
      queueMicrotask(listener);
      return () => {};
    }
    const once = () => {
      this.writableListeners.delete(once);
      listener();
    };
    this.writableListeners.add(once);
    return () => this.writableListeners.delete(once);
  }

  /** Cuts the connection at once, as a dead network would (no close handshake). */
  terminate(): void {
    this.socket.terminate();
  }

  private notifyWritable(): void {
    if (!this.closed && this.bufferedBytes() >= socketResumeBytes) return;
    for (const listener of [...this.writableListeners]) listener();
  }
}

export interface LinkPair {
  /** The cloud's end: sends CloudFrame, receives AgentFrame. */
  cloud: WsFrameLink<CloudFrame, AgentFrame>;
  /** The agent's end: sends AgentFrame, receives CloudFrame. */
  agent: WsFrameLink<AgentFrame, CloudFrame>;
  close(): Promise<void>;
}

/** A ws server and client on 127.0.0.1, connected, with a FrameLink on each end. */
export async function createLinkPair(): Promise<LinkPair> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: maxFrameBytes,
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`, {
    perMessageDeflate: false,
    maxPayload: maxFrameBytes,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  const cloudSocket = await accepted;
  const cloud = new WsFrameLink<CloudFrame, AgentFrame>(cloudSocket, agentFrameSchema);
  const agent = new WsFrameLink<AgentFrame, CloudFrame>(client, cloudFrameSchema);
  const close = async () => {
    client.terminate();
    cloudSocket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { cloud, agent, close };
}
