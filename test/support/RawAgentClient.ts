import {
  type AgentFrame,
  authPayloadOf,
  closeReasonOf,
  cloudFrameSchema,
  FrameReader,
  maxFrameBytes,
  negotiateVersion,
  signPayload,
  supportedProtocolVersions,
  tunnelPath,
} from '@plumbline/proto';
import WebSocket from 'ws';

/** Who the client is: what enrollment returned, with the key pair it enrolled. */
export interface RawAgentIdentity {
  agentId: string;
  tenantId: string;
  publicKey: string;
  secretKey: string;
}

/** Why a raw client's connection ended: the close code, its protocol name and the text. */
export interface RawClose {
  code: number;
  reason: string;
}

/**
 * The smallest honest agent: it answers the cloud's `hello` with a signed `auth`, waits for
 * `welcome`, and then only answers pings, so a benchmark can hold a thousand authenticated
 * connections from one process. It runs no jobs and keeps no journal; a job sent to it is
 * ignored. Not the agent: `startAgent` is.
 */
export class RawAgentClient {
  private readonly socket: WebSocket;
  private readonly reader = new FrameReader(cloudFrameSchema);
  readonly welcomed: Promise<{ pingIntervalMs: number; deadPeerMs: number }>;
  readonly closed: Promise<RawClose>;

  private constructor(socket: WebSocket, identity: RawAgentIdentity) {
    this.socket = socket;
    let welcome!: (value: { pingIntervalMs: number; deadPeerMs: number }) => void;
    let refuse!: (error: Error) => void;
    this.welcomed = new Promise((resolve, reject) => {
      welcome = resolve;
      refuse = reject;
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        const text = reason.toString();
        refuse(new Error(`closed ${code} ${closeReasonOf(code) ?? ''} before welcome: ${text}`));
        resolve({ code, reason: text });
      });
    });
    socket.on('error', () => {
      // 'close' follows every error and settles both promises.
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const read = this.reader.read(data, isBinary);
      if (read.kind !== 'frame') return;
      const frame = read.frame;
      if (frame.type === 'hello') {
        this.send({ type: 'auth', ...this.signedAuth(identity, frame) });
      } else if (frame.type === 'welcome') {
        welcome({ pingIntervalMs: frame.pingIntervalMs, deadPeerMs: frame.deadPeerMs });
      } else if (frame.type === 'ping') {
        this.send({ type: 'pong', pingSentAtMs: frame.sentAtMs });
      }
    });
  }

  /** Opens `ws(s)://…/api/v1/tunnel` on the cloud at `cloudUrl` (http or https). */
  static connect(cloudUrl: string, identity: RawAgentIdentity): RawAgentClient {
    const url = new URL(tunnelPath, cloudUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: maxFrameBytes });
    return new RawAgentClient(socket, identity);
  }

  close(): void {
    this.socket.close(1000, 'benchmark done');
  }

  private signedAuth(
    identity: RawAgentIdentity,
    hello: { versions: number[]; challenge: string; connectionId: string },
  ) {
    const signed = {
      version: negotiateVersion(supportedProtocolVersions, hello.versions) ?? 0,
      agentId: identity.agentId,
      tenantId: identity.tenantId,
      publicKey: identity.publicKey,
      challenge: hello.challenge,
      connectionId: hello.connectionId,
    };
    return {
      ...signed,
      signature: signPayload(authPayloadOf(signed), identity.secretKey),
      agentVersion: 'bench-raw-client',
      readOnly: true,
    };
  }

  private send(frame: AgentFrame): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}
