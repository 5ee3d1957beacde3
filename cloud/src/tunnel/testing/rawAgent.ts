import {
  authPayloadOf,
  type CloudFrame,
  closeReasonOf,
  cloudFrameSchema,
  type EnrollResponse,
  enrollPath,
  enrollResponseSchema,
  generateSigningKeyPair,
  type RotationPayload,
  type SigningKeyPair,
  signPayload,
  tunnelPath,
} from '@plumbline/proto';
import WebSocket from 'ws';

/** What an enrolled test agent knows: its ids, its key pair and the tenant's signing key. */
export interface RawAgentIdentity extends EnrollResponse {
  keys: SigningKeyPair;
}

/** Enrolls a fresh key pair with `token` over real HTTP, as the agent would. */
export async function enrollRawAgent(
  baseUrl: string,
  token: string,
  name = 'raw-agent',
): Promise<RawAgentIdentity> {
  const keys = generateSigningKeyPair();
  const response = await fetch(new URL(enrollPath, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, publicKey: keys.publicKey, name, agentVersion: 'test' }),
  });
  if (response.status !== 201) {
    throw new Error(`enrollment answered ${response.status}: ${await response.text()}`);
  }
  return { ...enrollResponseSchema.parse(await response.json()), keys };
}

export interface Closed {
  code: number;
  /** The protocol's name for the code, e.g. `replayed`. */
  reason: string | undefined;
}

/** Changes made to a correct `auth` frame before it is sent, to build hostile handshakes. */
export type AuthTamper = (auth: Record<string, unknown>) => Record<string, unknown>;

/**
 * A test agent that speaks the protocol by hand over a raw `ws` client: it can do everything
 * right, or exactly one thing wrong. Every frame from the cloud is parsed with proto's schema
 * and kept in `frames`.
 */
export class RawAgent {
  readonly ws: WebSocket;
  readonly frames: CloudFrame[] = [];
  readonly closed: Promise<Closed>;
  private readonly listeners = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        resolve({ code, reason: closeReasonOf(code) });
        this.notify();
      });
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      this.frames.push(cloudFrameSchema.parse(JSON.parse(data.toString('utf8'))));
      this.notify();
    });
    ws.on('error', () => {});
  }

  /** Opens the socket and waits for `hello`; does not authenticate. */
  static async open(baseUrl: string): Promise<RawAgent> {
    const url = new URL(tunnelPath, baseUrl.replace(/^http/, 'ws'));
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const agent = new RawAgent(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await agent.next('hello');
    return agent;
  }

  /** Opens, authenticates with `identity` and waits for `welcome`. */
  static async connect(
    baseUrl: string,
    identity: RawAgentIdentity,
    options: { readOnly?: boolean } = {},
  ): Promise<RawAgent> {
    const agent = await RawAgent.open(baseUrl);
    agent.sendAuth(identity, (auth) => ({ ...auth, readOnly: options.readOnly ?? false }));
    await agent.next('welcome');
    return agent;
  }

  get hello(): Extract<CloudFrame, { type: 'hello' }> {
    const hello = this.frames.find((frame) => frame.type === 'hello');
    if (hello?.type !== 'hello') throw new Error('no hello received');
    return hello;
  }

  /** The auth frame a correct agent would send now, before `tamper` changes it. */
  authFrame(identity: RawAgentIdentity, tamper: AuthTamper = (auth) => auth) {
    const { challenge, connectionId } = this.hello;
    const signed = {
      version: 1,
      agentId: identity.agentId,
      tenantId: identity.tenantId,
      publicKey: identity.keys.publicKey,
      challenge,
      connectionId,
    };
    return tamper({
      type: 'auth',
      ...signed,
      signature: signPayload(authPayloadOf(signed), identity.keys.secretKey),
      agentVersion: 'test',
      readOnly: false,
    });
  }

  sendAuth(identity: RawAgentIdentity, tamper?: AuthTamper): Record<string, unknown> {
    const auth = this.authFrame(identity, tamper);
    this.send(auth);
    return auth;
  }

  /** Sends a value as JSON, or a string or buffer as it is. */
  send(message: unknown): void {
    if (typeof message === 'string') this.ws.send(message);
    else if (Buffer.isBuffer(message)) this.ws.send(message, { binary: true });
    else this.ws.send(JSON.stringify(message));
  }

  /** A `key.rotate` for `newKeys`, signed by the current and the new key. */
  rotateTo(identity: RawAgentIdentity, newKeys: SigningKeyPair): void {
    const payload: RotationPayload = {
      purpose: 'plumbline.rotate.v1',
      agentId: identity.agentId,
      connectionId: this.hello.connectionId,
      newPublicKey: newKeys.publicKey,
    };
    this.send({
      type: 'key.rotate',
      newPublicKey: newKeys.publicKey,
      oldKeySignature: signPayload(payload, identity.keys.secretKey),
      newKeySignature: signPayload(payload, newKeys.secretKey),
    });
  }

  /**
   * The first frame of `type` received after the `skip` earlier ones; waits for it. Rejects
   * when the socket closes first.
   */
  async next<T extends CloudFrame['type']>(
    type: T,
    skip = 0,
  ): Promise<Extract<CloudFrame, { type: T }>> {
    for (;;) {
      const found = this.frames.filter((frame) => frame.type === type)[skip];
      if (found) return found as Extract<CloudFrame, { type: T }>;
      if (this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(`the socket closed before a ${type} frame arrived`);
      }
      await new Promise<void>((resolve) => {
        this.listeners.add(resolve);
      });
    }
  }

  /** All frames of `type` received so far. */
  all<T extends CloudFrame['type']>(type: T): Extract<CloudFrame, { type: T }>[] {
    return this.frames.filter((frame) => frame.type === type) as Extract<CloudFrame, { type: T }>[];
  }

  close(): Promise<Closed> {
    this.ws.close(1000);
    return this.closed;
  }

  /** Drops the TCP connection without a close frame, as a cut cable would. */
  cut(): Promise<Closed> {
    this.ws.terminate();
    return this.closed;
  }

  private notify(): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}
