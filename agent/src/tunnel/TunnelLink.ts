import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  authPayloadOf,
  type CloseReason,
  type CloudFrame,
  closeReasonOf,
  closeReasons,
  cloudFrameSchema,
  encodeFrame,
  encodeStreamData,
  type FrameHandler,
  type FrameLink,
  type FrameOfType,
  FrameReader,
  negotiateVersion,
  signPayload,
  socketResumeBytes,
  supportedProtocolVersions,
} from '@plumbline/proto';
import type WebSocket from 'ws';
import type { AgentTimers, TimerHandle } from '../AgentTimers.ts';
import { agentVersion } from '../agentVersion.ts';
import type { IdentityStore } from '../identity/IdentityStore.ts';
import type { LinkEnd } from './LinkEnd.ts';
import type { TunnelParameters } from './TunnelParameters.ts';

export interface TunnelLinkOptions {
  identity: IdentityStore;
  readOnly: boolean;
  timers: AgentTimers;
  parameters: TunnelParameters;
  logger: Logger;
  /** The features riding on this link, made once it is authenticated. */
  handlers: (link: TunnelLink) => FrameHandler<CloudFrame>[];
  onAuthenticated: (link: TunnelLink) => void;
}

type LinkState = 'handshake' | 'authenticated' | 'closed';

/**
 * One WebSocket to the cloud: the handshake (hello → auth → welcome), pings both ways, the
 * dead-peer deadline, and the FrameLink the features send through. Every message goes through
 * a FrameReader; anything the protocol does not allow closes the link with its reason.
 */
export class TunnelLink implements FrameLink<AgentFrame> {
  readonly ended: Promise<LinkEnd>;
  state: LinkState = 'handshake';
  connectionId: string | undefined;
  version: number | undefined;
  authenticatedAtMs: number | undefined;
  clockOffsetMs: number | undefined;
  rttMs: number | undefined;
  lastPongAtMs: number | undefined;

  private readonly ws: WebSocket;
  private readonly options: TunnelLinkOptions;
  private readonly reader = new FrameReader(cloudFrameSchema);
  private readonly writableWaiters = new Set<() => void>();
  private handlers: FrameHandler<CloudFrame>[] = [];
  private logger: Logger;
  private helloSeen = false;
  private lastHeardAtMs: number;
  private pingIntervalMs: number;
  private deadPeerMs: number;
  private pingTimer: TimerHandle | undefined;
  private deadTimer: TimerHandle | undefined;
  private closeTimer: TimerHandle | undefined;
  private local: { reason: CloseReason; detail: string } | undefined;
  private socketError: string | undefined;
  private reconnectInMs: number | undefined;
  private resolveEnded!: (end: LinkEnd) => void;

  constructor(ws: WebSocket, options: TunnelLinkOptions) {
    this.ws = ws;
    this.options = options;
    this.logger = options.logger;
    this.pingIntervalMs = options.parameters.pingIntervalMs;
    this.deadPeerMs = options.parameters.deadPeerMs;
    this.lastHeardAtMs = options.timers.now();
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    ws.on('open', () => this.onOpen());
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('error', (error) => this.onError(error));
    ws.on('close', (code, reason) => this.onClose(code, reason.toString('utf8')));
  }

  get closed(): boolean {
    return this.state === 'closed' || this.ws.readyState !== this.ws.OPEN;
  }

  send(frame: AgentFrame): void {
    if (this.closed) return;
    for (const message of encodeFrame(frame)) this.ws.send(message, this.onWritten);
  }

  sendData(streamId: number, bytes: Uint8Array): void {
    if (this.closed) return;
    this.ws.send(encodeStreamData(streamId, bytes), this.onWritten);
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  whenWritable(listener: () => void): () => void {
    if (this.closed || this.ws.bufferedAmount < socketResumeBytes) {
      listener();
      return () => {};
    }
    this.writableWaiters.add(listener);
    return () => this.writableWaiters.delete(listener);
  }

  /** Closes from the agent's side with a protocol reason; `ended` settles once it is gone. */
  close(reason: CloseReason, detail: string): void {
    if (this.state === 'closed' || this.local !== undefined) return;
    this.local = { reason, detail };
    const { timers, parameters } = this.options;
    if (reason === 'dead_peer' || this.ws.readyState !== this.ws.OPEN) {
      this.ws.terminate();
      return;
    }
    this.ws.close(closeReasons[reason], reason);
    this.closeTimer = timers.setTimeout(() => this.ws.terminate(), parameters.closeTimeoutMs);
  }

  private readonly onWritten = (): void => {
    if (this.writableWaiters.size === 0 || this.ws.bufferedAmount >= socketResumeBytes) return;
    this.releaseWaiters();
  };

  private releaseWaiters(): void {
    const waiters = [...this.writableWaiters];
    this.writableWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  private onOpen(): void {
    this.lastHeardAtMs = this.options.timers.now();
    this.scheduleDeadCheck(this.deadPeerMs);
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.state === 'closed' || this.local !== undefined) return;
    this.lastHeardAtMs = this.options.timers.now();
    const message = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    const read = this.reader.read(message, isBinary);
    if (read.kind === 'pending') return;
    if (read.kind === 'error') {
      this.refuse(read.reason, read.message);
      return;
    }
    if (read.kind === 'data') {
      if (this.state !== 'authenticated') {
        this.refuse('bad_frame', 'stream data arrived before welcome');
        return;
      }
      this.guard('stream data', () => {
        for (const handler of this.handlers) handler.handleData(read.streamId, read.bytes);
      });
      return;
    }
    if (this.state === 'authenticated') this.onAuthenticatedFrame(read.frame);
    else this.onHandshakeFrame(read.frame);
  }

  private onHandshakeFrame(frame: CloudFrame): void {
    if (!this.helloSeen) {
      if (frame.type !== 'hello') {
        this.refuse('bad_frame', `expected hello as the first frame, got ${frame.type}`);
        return;
      }
      this.answerHello(frame);
      return;
    }
    if (frame.type !== 'welcome') {
      this.refuse('bad_frame', `expected welcome after auth, got ${frame.type}`);
      return;
    }
    const identity = this.options.identity.current();
    if (frame.agentId !== identity.agentId || frame.tenantId !== identity.tenantId) {
      this.refuse(
        'bad_frame',
        `welcome names agent ${frame.agentId} of tenant ${frame.tenantId}, expected ` +
          `${identity.agentId} of ${identity.tenantId}`,
      );
      return;
    }
    this.pingIntervalMs = frame.pingIntervalMs;
    this.deadPeerMs = frame.deadPeerMs;
    this.state = 'authenticated';
    this.authenticatedAtMs = this.options.timers.now();
    const made = this.guard('making the link handlers', () => {
      this.handlers = this.options.handlers(this);
    });
    if (!made) return;
    this.schedulePing();
    this.options.onAuthenticated(this);
  }

  private answerHello(hello: FrameOfType<CloudFrame, 'hello'>): void {
    this.helloSeen = true;
    const version = negotiateVersion([...supportedProtocolVersions], hello.versions);
    if (version === undefined) {
      this.refuse(
        'version_unsupported',
        `the cloud offers protocol versions ${hello.versions.join(', ')}, this agent speaks ` +
          supportedProtocolVersions.join(', '),
      );
      return;
    }
    this.version = version;
    this.connectionId = hello.connectionId;
    this.clockOffsetMs = hello.serverTimeMs - this.options.timers.now();
    this.logger = this.options.logger.child({ connectionId: hello.connectionId });

    const identity = this.options.identity.current();
    const signed = {
      version,
      agentId: identity.agentId,
      tenantId: identity.tenantId,
      publicKey: identity.keyPair.publicKey,
      challenge: hello.challenge,
      connectionId: hello.connectionId,
    };
    this.send({
      type: 'auth',
      ...signed,
      signature: signPayload(authPayloadOf(signed), identity.keyPair.secretKey),
      agentVersion,
      readOnly: this.options.readOnly,
    });
  }

  private onAuthenticatedFrame(frame: CloudFrame): void {
    switch (frame.type) {
      case 'ping':
        this.send({ type: 'pong', pingSentAtMs: frame.sentAtMs });
        return;
      case 'pong':
        this.lastPongAtMs = this.options.timers.now();
        this.rttMs = Math.max(0, this.lastPongAtMs - frame.pingSentAtMs);
        return;
      case 'goaway':
        // SHORTCOMING: break-before-make. The link closes now and the next opens after the
        // delay, so jobs sent in between wait for it; tunnels.md suggests opening the new
        // socket before closing the old one.
        this.reconnectInMs = frame.reconnectInMs;
        this.logger.info(
          { reconnectInMs: frame.reconnectInMs, cloudReason: frame.reason },
          'the cloud asked this agent to reconnect later',
        );
        this.close('going_away', `goaway: ${frame.reason}`);
        return;
      case 'hello':
      case 'welcome':
        this.refuse('bad_frame', `${frame.type} arrived after the handshake`);
        return;
    }
    let taken = false;
    this.guard(`a ${frame.type} frame`, () => {
      taken = this.handlers.some((handler) => handler.handleFrame(frame));
    });
    if (taken || this.local !== undefined) return;
    this.logger.warn({ frameType: frame.type }, 'no handler took a frame from the cloud; ignored');
  }

  /**
   * Runs feature code called from a socket event: a throw there would end the process, so it
   * is logged and the link closed with internal_error instead (the client dials again).
   */
  private guard(what: string, run: () => void): boolean {
    try {
      run();
      return true;
    } catch (error) {
      this.logger.error({ err: error }, `a feature failed on ${what}: closing the link`);
      this.close('internal_error', `a feature failed on ${what}`);
      return false;
    }
  }

  private refuse(reason: CloseReason, detail: string): void {
    this.logger.warn(
      { closeReason: reason, detail },
      'closing the tunnel: the cloud broke protocol',
    );
    this.close(reason, detail);
  }

  private schedulePing(): void {
    const { timers, parameters } = this.options;
    const spread = 1 - parameters.pingJitter + 2 * parameters.pingJitter * timers.random();
    this.pingTimer = timers.setTimeout(
      () => {
        if (this.state !== 'authenticated') return;
        this.send({ type: 'ping', sentAtMs: timers.now() });
        this.schedulePing();
      },
      Math.round(this.pingIntervalMs * spread),
    );
  }

  private scheduleDeadCheck(delayMs: number): void {
    const { timers } = this.options;
    this.deadTimer = timers.setTimeout(() => {
      if (this.state === 'closed') return;
      const silentMs = timers.now() - this.lastHeardAtMs;
      if (silentMs < this.deadPeerMs) return this.scheduleDeadCheck(this.deadPeerMs - silentMs);
      this.logger.warn({ silentMs }, 'nothing heard from the cloud: dropping the link');
      this.close('dead_peer', `nothing heard from the cloud for ${silentMs} ms`);
    }, delayMs);
  }

  private onError(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && this.local === undefined) {
      // ws itself closes with 1009 before the FrameReader sees the message.
      this.local = { reason: 'frame_too_large', detail: error.message };
    }
    this.socketError = code ? `${error.message} (${code})` : error.message;
  }

  private onClose(code: number, text: string): void {
    if (this.state === 'closed') return;
    const wasAuthenticated = this.state === 'authenticated';
    this.state = 'closed';
    const { timers } = this.options;
    for (const timer of [this.pingTimer, this.deadTimer, this.closeTimer]) {
      if (timer !== undefined) timers.clearTimeout(timer);
    }
    const end = this.describeEnd(code, text);
    if (wasAuthenticated) for (const handler of this.handlers) handler.linkClosed(end.detail);
    this.releaseWaiters();
    this.resolveEnded(end);
  }

  private describeEnd(code: number, text: string): LinkEnd {
    const base = {
      code,
      authenticatedAtMs: this.authenticatedAtMs,
      reconnectInMs: this.reconnectInMs,
    };
    if (this.local !== undefined) {
      return { ...base, reason: this.local.reason, closedBy: 'agent', detail: this.local.detail };
    }
    const reason = closeReasonOf(code);
    if (code === 1006 || code === 1005) {
      const detail = this.socketError ?? 'the connection was cut without a close frame';
      return { ...base, reason, closedBy: 'network', detail };
    }
    const detail = `the cloud closed with ${code}${text ? ` ${text.slice(0, 200)}` : ''}`;
    return { ...base, reason, closedBy: 'cloud', detail };
  }
}
