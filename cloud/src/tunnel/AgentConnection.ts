import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type agentFrameSchema,
  type CloseReason,
  type CloudFrame,
  closeReasons,
  encodeFrame,
  encodeStreamData,
  type FrameHandler,
  type FrameLink,
  type FrameReader,
  socketResumeBytes,
} from '@plumbline/proto';
import type WebSocket from 'ws';
import type { TunnelSettings } from './TunnelSettings.ts';

/** Who is on the other end, as the handshake proved it from the key alone. */
export interface AgentIdentity {
  agentId: string;
  tenantId: string;
  agentName: string;
  keyId: string;
  publicKey: string;
  connectionId: string;
  address: string | null;
}

export interface AgentConnectionOptions {
  ws: WebSocket;
  reader: FrameReader<typeof agentFrameSchema>;
  identity: AgentIdentity;
  settings: TunnelSettings;
  now: () => number;
  random: () => number;
  logger: Logger;
  /** Frames the connection does not handle itself or through its handlers: jobs, rotation. */
  onFrame: (connection: AgentConnection, frame: AgentFrame) => void;
  onClose: (connection: AgentConnection, reason: string) => void;
}

/** How often `whenWritable` looks at the socket's buffer while it waits. */
const writablePollMs = 5;

/**
 * One authenticated agent socket: the `FrameLink` features send on, pings and the dead-peer
 * deadline, and the door every later message passes (the handshake's `FrameReader`, so chunks
 * and limits carry on). Frames go to its handlers in turn, the rest to `onFrame`.
 */
export class AgentConnection implements FrameLink<CloudFrame> {
  readonly identity: AgentIdentity;
  readonly connectedAtMs: number;
  private readonly ws: WebSocket;
  private readonly reader: FrameReader<typeof agentFrameSchema>;
  private readonly options: AgentConnectionOptions;
  private readonly handlers: FrameHandler<AgentFrame>[] = [];
  private readonly log: Logger;
  private lastFrameAtMs: number;
  private rttMs: number | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private deadPeerTimer: NodeJS.Timeout | undefined;
  private maxAgeTimer: NodeJS.Timeout | undefined;
  private isClosed = false;

  constructor(options: AgentConnectionOptions) {
    this.options = options;
    this.ws = options.ws;
    this.reader = options.reader;
    this.identity = options.identity;
    this.connectedAtMs = options.now();
    this.lastFrameAtMs = this.connectedAtMs;
    this.log = options.logger.child({
      agentId: options.identity.agentId,
      tenantId: options.identity.tenantId,
      connectionId: options.identity.connectionId,
    });
    this.ws.on('close', (code, reason) => this.closedBySocket(code, reason.toString()));
    this.schedulePing();
    this.armDeadPeer(options.settings.deadPeerMs);
    this.scheduleMaxAge();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  addHandler(handler: FrameHandler<AgentFrame>): void {
    this.handlers.push(handler);
  }

  /** When a frame last arrived, and the round trip of the last answered ping. */
  liveness(): { lastFrameAtMs: number; rttMs: number | undefined } {
    return { lastFrameAtMs: this.lastFrameAtMs, rttMs: this.rttMs };
  }

  send(frame: CloudFrame): void {
    if (this.isClosed) return;
    for (const message of encodeFrame(frame)) this.ws.send(message);
  }

  sendData(streamId: number, bytes: Uint8Array): void {
    if (this.isClosed) return;
    this.ws.send(encodeStreamData(streamId, bytes), { binary: true });
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  whenWritable(listener: () => void): () => void {
    if (this.isClosed || this.ws.bufferedAmount < socketResumeBytes) {
      listener();
      return () => {};
    }
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      if (this.isClosed || this.ws.bufferedAmount < socketResumeBytes) {
        timer = undefined;
        listener();
      } else {
        timer = setTimeout(check, writablePollMs);
      }
    };
    timer = setTimeout(check, writablePollMs);
    return () => {
      if (timer) clearTimeout(timer);
    };
  }

  /** Takes one WebSocket message from the agent; a bad one closes the connection. */
  receive(message: Buffer, isBinary: boolean): void {
    if (this.isClosed) return;
    this.lastFrameAtMs = this.options.now();
    const read = this.reader.read(message, isBinary);
    if (read.kind === 'pending') return;
    if (read.kind === 'error') {
      this.close(read.reason, read.message);
      return;
    }
    if (read.kind === 'data') {
      for (const handler of this.handlers) handler.handleData(read.streamId, read.bytes);
      return;
    }
    this.dispatch(read.frame);
  }

  /** Closes with a protocol close reason; the agent sees the code and the reason's name. */
  close(reason: CloseReason, message: string): void {
    if (this.isClosed) return;
    this.log.info({ reason, message }, 'closing agent connection');
    this.ws.close(closeReasons[reason], reason);
    this.shutDown(reason);
    // A peer that never answers the close frame is cut, so its socket is not held open.
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private dispatch(frame: AgentFrame): void {
    switch (frame.type) {
      case 'ping':
        this.send({ type: 'pong', pingSentAtMs: frame.sentAtMs });
        return;
      case 'pong':
        this.recordPong(frame.pingSentAtMs);
        return;
      case 'auth':
        this.close('not_authenticated', 'a second auth on an authenticated connection');
        return;
    }
    for (const handler of this.handlers) {
      if (handler.handleFrame(frame)) return;
    }
    this.options.onFrame(this, frame);
  }

  private recordPong(pingSentAtMs: number): void {
    const rtt = this.options.now() - pingSentAtMs;
    if (rtt >= 0 && rtt <= this.options.settings.deadPeerMs) this.rttMs = rtt;
  }

  private schedulePing(): void {
    const { pingIntervalMs, pingJitter } = this.options.settings;
    const spread = (this.options.random() * 2 - 1) * pingJitter;
    this.pingTimer = setTimeout(
      () => {
        this.send({ type: 'ping', sentAtMs: this.options.now() });
        this.schedulePing();
      },
      Math.max(1, Math.round(pingIntervalMs * (1 + spread))),
    );
  }

  /**
   * The agent is asked to reconnect at once; it opens its new socket before closing this one,
   * and the new connection replaces this.
   */
  private scheduleMaxAge(): void {
    const { maxConnectionAgeMs } = this.options.settings;
    if (maxConnectionAgeMs <= 0) return;
    const spread = (this.options.random() * 2 - 1) * 0.1;
    this.maxAgeTimer = setTimeout(
      () => {
        this.log.info({ maxConnectionAgeMs }, 'connection reached its maximum age: goaway');
        this.send({
          type: 'goaway',
          reconnectInMs: 0,
          reason: 'connection reached its maximum age',
        });
      },
      Math.round(maxConnectionAgeMs * (1 + spread)),
    );
  }

  /** One timer per connection, moved only when it fires, not on every frame. */
  private armDeadPeer(delayMs: number): void {
    this.deadPeerTimer = setTimeout(() => {
      const silentMs = this.options.now() - this.lastFrameAtMs;
      const leftMs = this.options.settings.deadPeerMs - silentMs;
      if (leftMs > 0) {
        this.armDeadPeer(leftMs);
        return;
      }
      this.close('dead_peer', `nothing heard from the agent for ${silentMs} ms`);
    }, delayMs);
  }

  private closedBySocket(code: number, reason: string): void {
    if (this.isClosed) return;
    this.log.info({ code, reason }, 'agent connection closed by the agent or the network');
    this.shutDown(reason || `closed with code ${code}`);
  }

  private shutDown(reason: string): void {
    this.isClosed = true;
    clearTimeout(this.pingTimer);
    clearTimeout(this.deadPeerTimer);
    clearTimeout(this.maxAgeTimer);
    for (const handler of this.handlers) handler.linkClosed(reason);
    this.options.onClose(this, reason);
  }
}
