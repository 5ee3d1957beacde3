/**
 * A PROTOCOL PEER FOR THE AGENT'S UNIT TESTS, not the cloud. It speaks the cloud's half of the
 * wire contract (enrollment, hello/auth/welcome, pings, jobs, key rotation) over a real `ws`
 * server on 127.0.0.1, built from proto's helpers, so the agent can be tested while the real
 * hub (cloud/src/tunnel) is written. End-to-end tests of agent and real cloud live elsewhere.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type AgentFrame,
  agentFrameSchema,
  authPayloadOf,
  type CloseReason,
  type CloudFrame,
  closeReasons,
  encodeFrame,
  enrollPath,
  enrollRequestSchema,
  type FrameOfType,
  FrameReader,
  generateSigningKeyPair,
  type JobSigningPayload,
  maxFrameBytes,
  type RotationPayload,
  type SigningKeyPair,
  signPayload,
  supportedProtocolVersions,
  tunnelPath,
  verifyPayload,
} from '@plumbline/proto';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeCloudPeerOptions {
  /** Serve TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  pingIntervalMs?: number;
  deadPeerMs?: number;
}

export const fakeTenant = { tenantId: 'tenant-1', tenantSlug: 'acme' };

type TokenState = 'fresh' | 'used' | 'expired';

export class FakeCloudPeer {
  readonly url: string;
  /** The tenant's job-signing key; its public half is what agents pin at enrollment. */
  readonly signingKeys: SigningKeyPair = generateSigningKeyPair();
  readonly connections: PeerConnection[] = [];
  /** Hello offers these versions. */
  versions: number[] = [...supportedProtocolVersions];
  /** After a valid auth, close with this instead of welcoming. */
  refuseWith: CloseReason | undefined;
  sendWelcome = true;
  answerPings = true;
  confirmRotation = true;
  /** Cut every new WebSocket at once, as a broken network between would. */
  dropConnections = false;
  pingIntervalMs: number;
  deadPeerMs: number;
  enrollRequests = 0;

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly tokens = new Map<string, TokenState>();
  private readonly agentsByKey = new Map<string, string>();
  private connectionWaiters: Array<(connection: PeerConnection) => void> = [];

  private constructor(
    server: Server,
    wss: WebSocketServer,
    url: string,
    options: FakeCloudPeerOptions,
  ) {
    this.server = server;
    this.wss = wss;
    this.url = url;
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.deadPeerMs = options.deadPeerMs ?? 45_000;
    wss.on('connection', (ws) => this.accept(ws));
  }

  static async start(options: FakeCloudPeerOptions = {}): Promise<FakeCloudPeer> {
    let peer: FakeCloudPeer | undefined;
    const handler = (request: IncomingMessage, response: import('node:http').ServerResponse) =>
      peer?.handleHttp(request, response);
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    const wss = new WebSocketServer({
      server,
      path: tunnelPath,
      perMessageDeflate: false,
      maxPayload: maxFrameBytes,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    peer = new FakeCloudPeer(
      server,
      wss,
      `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
      options,
    );
    return peer;
  }

  addToken(token: string, state: TokenState = 'fresh'): void {
    this.tokens.set(token, state);
  }

  /** Registers a key as an agent of the fake tenant, as enrollment would; returns its id. */
  registerAgent(publicKey: string, agentId = `agent-${randomUUID().slice(0, 8)}`): string {
    this.agentsByKey.set(publicKey, agentId);
    return agentId;
  }

  forgetKey(publicKey: string): void {
    this.agentsByKey.delete(publicKey);
  }

  /** The next WebSocket an agent opens (already open, if one is waiting to be taken). */
  nextConnection(): Promise<PeerConnection> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /** Signs a job as the cloud does for kinds that mutate. */
  signJob(job: { id: string; kind: string; params: unknown }, agentId: string, secretKey?: string) {
    const payload: JobSigningPayload = {
      purpose: 'plumbline.job.v1',
      jobId: job.id,
      agentId,
      tenantId: fakeTenant.tenantId,
      kind: job.kind,
      params: job.params,
    };
    return signPayload(payload, secretKey ?? this.signingKeys.secretKey);
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    if (this.dropConnections) {
      ws.terminate();
      return;
    }
    const connection = new PeerConnection(ws, this);
    this.connections.push(connection);
    const waiters = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const resolve of waiters) resolve(connection);
  }

  /** @internal the auth check a real cloud makes, reduced to the fake tenant. */
  verifyAuth(
    frame: FrameOfType<AgentFrame, 'auth'>,
    connection: PeerConnection,
  ): CloseReason | string {
    const agentId = this.agentsByKey.get(frame.publicKey);
    if (agentId === undefined) return 'unknown_agent';
    if (
      frame.challenge !== connection.challenge ||
      frame.connectionId !== connection.connectionId
    ) {
      return 'replayed';
    }
    if (!verifyPayload(authPayloadOf(frame), frame.signature, frame.publicKey)) {
      return 'bad_signature';
    }
    if (frame.agentId !== agentId || frame.tenantId !== fakeTenant.tenantId) return 'wrong_tenant';
    return agentId;
  }

  /** @internal a rotation the way the cloud checks it: both keys sign the same payload. */
  rotate(frame: FrameOfType<AgentFrame, 'key.rotate'>, connection: PeerConnection): boolean {
    const agentId = connection.agentId;
    const oldKey = connection.auth?.publicKey;
    if (agentId === undefined || oldKey === undefined) return false;
    const payload: RotationPayload = {
      purpose: 'plumbline.rotate.v1',
      agentId,
      connectionId: connection.connectionId,
      newPublicKey: frame.newPublicKey,
    };
    const valid =
      verifyPayload(payload, frame.oldKeySignature, oldKey) &&
      verifyPayload(payload, frame.newKeySignature, frame.newPublicKey);
    if (!valid) return false;
    this.agentsByKey.delete(oldKey);
    this.agentsByKey.set(frame.newPublicKey, agentId);
    return true;
  }

  private handleHttp(request: IncomingMessage, response: import('node:http').ServerResponse) {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== enrollPath) {
      return answer(404, { error: { code: 'not_found', message: 'no such route' } });
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.enrollRequests++;
      const parsed = enrollRequestSchema.safeParse(safeJson(Buffer.concat(chunks).toString()));
      if (!parsed.success)
        return answer(400, { error: { code: 'bad_request', message: 'bad body' } });
      const state = this.tokens.get(parsed.data.token);
      if (state !== 'fresh') {
        const code = state === undefined ? 'token_unknown' : `token_${state}`;
        return answer(401, {
          error: { code, message: `the enrollment token is ${state ?? 'unknown'}` },
        });
      }
      this.tokens.set(parsed.data.token, 'used');
      const agentId = this.registerAgent(parsed.data.publicKey);
      answer(201, {
        agentId,
        ...fakeTenant,
        cloudSigningPublicKey: this.signingKeys.publicKey,
      });
    });
  }
}

/** One agent's WebSocket as the fake cloud sees it. */
export class PeerConnection {
  readonly connectionId = `conn-${randomUUID().slice(0, 8)}`;
  readonly challenge = randomBytes(32).toString('base64');
  readonly received: AgentFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly authenticated: Promise<FrameOfType<AgentFrame, 'auth'>>;
  agentId: string | undefined;
  private syncCount = 0;
  auth: FrameOfType<AgentFrame, 'auth'> | undefined;

  private readonly ws: WebSocket;
  private readonly peer: FakeCloudPeer;
  private readonly reader = new FrameReader(agentFrameSchema);
  private frameWaiters: Array<{
    test: (frame: AgentFrame) => boolean;
    resolve: (f: AgentFrame) => void;
  }> = [];
  private resolveAuthenticated!: (auth: FrameOfType<AgentFrame, 'auth'>) => void;

  constructor(ws: WebSocket, peer: FakeCloudPeer) {
    this.ws = ws;
    this.peer = peer;
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.authenticated = new Promise((resolve) => {
      this.resolveAuthenticated = resolve;
    });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    this.send({
      type: 'hello',
      versions: peer.versions,
      connectionId: this.connectionId,
      challenge: this.challenge,
      serverTimeMs: Date.now(),
    });
  }

  send(frame: CloudFrame): void {
    for (const message of encodeFrame(frame)) this.ws.send(message);
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  close(reason: CloseReason): void {
    this.ws.close(closeReasons[reason], reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  /** Stops or restarts reading the socket, so the agent's side has to buffer (flow tests). */
  setReading(reading: boolean): void {
    // ws keeps its socket private; tests are the only place that needs it.
    const socket = (this.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    if (reading) socket.resume();
    else socket.pause();
  }

  /**
   * A ping the agent must answer: frames on a socket stay in order, so once its pong is back,
   * the agent has handled everything this side sent before.
   */
  async sync(): Promise<void> {
    const marker = ++this.syncCount;
    this.send({ type: 'ping', sentAtMs: marker });
    await this.waitFor('pong', (pong) => pong.pingSentAtMs === marker);
  }

  /** The next frame of `type` (matching `test`), including one already received. */
  waitFor<T extends AgentFrame['type']>(
    type: T,
    test: (frame: FrameOfType<AgentFrame, T>) => boolean = () => true,
  ): Promise<FrameOfType<AgentFrame, T>> {
    const matches = (frame: AgentFrame): boolean =>
      frame.type === type && test(frame as FrameOfType<AgentFrame, T>);
    const seen = this.received.find(matches);
    if (seen !== undefined) return Promise.resolve(seen as FrameOfType<AgentFrame, T>);
    return new Promise((resolve) =>
      this.frameWaiters.push({ test: matches, resolve: resolve as (f: AgentFrame) => void }),
    );
  }

  framesOf<T extends AgentFrame['type']>(type: T): FrameOfType<AgentFrame, T>[] {
    return this.received.filter((frame) => frame.type === type) as FrameOfType<AgentFrame, T>[];
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const read = this.reader.read(data, isBinary);
    if (read.kind !== 'frame') return;
    const frame = read.frame;
    this.received.push(frame);
    this.react(frame);
    const waiters = this.frameWaiters;
    this.frameWaiters = [];
    for (const waiter of waiters) {
      if (waiter.test(frame)) waiter.resolve(frame);
      else this.frameWaiters.push(waiter);
    }
  }

  private react(frame: AgentFrame): void {
    if (frame.type === 'auth') {
      this.onAuth(frame);
      return;
    }
    if (frame.type === 'ping' && this.peer.answerPings) {
      this.send({ type: 'pong', pingSentAtMs: frame.sentAtMs });
    }
    if (frame.type === 'key.rotate') {
      if (!this.peer.rotate(frame, this)) {
        this.send({
          type: 'key.rotate.refused',
          error: { code: 'bad_signature', message: 'rotation signatures do not verify' },
        });
      } else if (this.peer.confirmRotation) {
        this.send({ type: 'key.rotated', newPublicKey: frame.newPublicKey });
      }
    }
  }

  private onAuth(frame: FrameOfType<AgentFrame, 'auth'>): void {
    const verdict = this.peer.verifyAuth(frame, this);
    const refusal = verdict in closeReasons ? (verdict as CloseReason) : this.peer.refuseWith;
    if (refusal !== undefined) {
      this.close(refusal);
      return;
    }
    this.agentId = verdict;
    this.auth = frame;
    if (this.peer.sendWelcome) {
      this.send({
        type: 'welcome',
        version: frame.version,
        agentId: verdict,
        tenantId: fakeTenant.tenantId,
        pingIntervalMs: this.peer.pingIntervalMs,
        deadPeerMs: this.peer.deadPeerMs,
      });
    }
    this.resolveAuthenticated(frame);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
