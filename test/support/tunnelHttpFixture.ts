import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createLogger, type Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type FrameHandler,
  generateSigningKeyPair,
  type SigningKeyPair,
} from '@plumbline/proto';
import { HttpForwarder, type HttpForwarderOptions } from '../../agent/src/http/HttpForwarder.ts';
import { httpTargetsFrame } from '../../cloud/src/tunnel/http/httpTargetsFrame.ts';
import {
  TunnelHttpClient,
  type TunnelHttpClientOptions,
} from '../../cloud/src/tunnel/http/TunnelHttpClient.ts';
import { createLinkPair, type LinkPair } from './linkPair.ts';

const blockBytes = 1024 * 1024;
const randomBlock = randomBytes(blockBytes);

/** Block `index` of a deterministic large body: the random block, stamped with its index. */
function bodyBlock(index: number, size: number): Buffer {
  const block = Buffer.from(randomBlock.subarray(0, size));
  if (size >= 4) block.writeUInt32BE(index, 0);
  return block;
}

/** The SHA-256 of the body `GET /blob?bytes=N` serves, computed without holding it. */
export function expectedBlobHash(bytes: number): string {
  const hash = createHash('sha256');
  for (let index = 0; index * blockBytes < bytes; index++) {
    hash.update(bodyBlock(index, Math.min(blockBytes, bytes - index * blockBytes)));
  }
  return hash.digest('hex');
}

/** A body of `bytes` bytes as a stream, for uploads; the same bytes `GET /blob` serves. */
export function blobStream(bytes: number): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = Math.min(blockBytes, bytes - index * blockBytes);
      if (size <= 0) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(bodyBlock(index, size)));
      index++;
    },
  });
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/**
 * The stand-in for Nautobot: a real HTTP server on 127.0.0.1.
 * `GET /api/blob?bytes=N` streams N deterministic bytes; `POST /api/hash` answers the body's
 * length and SHA-256; `GET /api/hold` sends one chunk and never ends; `GET /api/hang` never
 * answers; `GET /api/redirect` answers 302 to another origin; `GET /api/gzip` answers gzipped
 * JSON; `GET /api/many-headers` answers 250 headers; anything else echoes the request.
 */
export class TargetServer {
  readonly seen: SeenRequest[] = [];
  /** Resolves with the path of each request whose connection closed before the answer ended. */
  readonly abandoned: string[] = [];
  private readonly server: Server;
  private abandonedListeners: ((path: string) => void)[] = [];

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<TargetServer> {
    const server = createServer();
    const target = new TargetServer(server);
    server.on('request', (request, response) => target.answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return target;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  nextAbandoned(): Promise<string> {
    return new Promise((resolve) => this.abandonedListeners.push(resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.baseUrl);
    this.seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    });
    response.on('close', () => {
      if (response.writableFinished) return;
      this.abandoned.push(url.pathname);
      for (const listener of this.abandonedListeners.splice(0)) listener(url.pathname);
    });
    if (url.pathname === '/api/blob') {
      this.blob(Number(url.searchParams.get('bytes')), response);
      return;
    }
    if (url.pathname === '/api/hash') {
      this.hash(request, response);
      return;
    }
    if (url.pathname === '/api/hold') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write(Buffer.alloc(1000, 7));
      return;
    }
    if (url.pathname === '/api/hang') return;
    if (url.pathname === '/api/many-headers') {
      const headers: [string, string][] = [];
      for (let index = 0; index < 250; index++) headers.push([`x-h${index}`, 'v']);
      response.writeHead(200, headers.flat()).end('{}');
      return;
    }
    if (url.pathname === '/api/gzip') {
      const body = gzipSync(JSON.stringify({ compressed: true }));
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(body.byteLength),
      });
      response.end(body);
      return;
    }
    if (url.pathname === '/api/redirect') {
      response.writeHead(302, { location: 'http://192.0.2.1/elsewhere' }).end();
      return;
    }
    this.echo(request, response);
  }

  private blob(bytes: number, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes),
    });
    const body = blobStream(bytes);
    body.pipeTo(Writable.toWeb(response)).catch(() => {});
  }

  private hash(request: IncomingMessage, response: ServerResponse): void {
    const hash = createHash('sha256');
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength;
      hash.update(chunk);
    });
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-answer': 'hashed' });
      response.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
    });
  }

  private echo(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': ['a=1', 'b=2'],
        'keep-alive': 'timeout=5',
      });
      const body = Buffer.concat(chunks).toString('utf8');
      response.end(
        JSON.stringify({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body,
        }),
      );
    });
  }
}

/** Log lines written by the agent and the cloud, parsed. */
export class CapturedLog {
  readonly lines: Record<string, unknown>[] = [];
  readonly logger: Logger = createLogger({
    name: 'tunnel-http-test',
    level: 'debug',
    destination: { write: (line: string) => this.lines.push(JSON.parse(line)) },
  });

  get text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}

export interface TunnelHttp {
  pair: LinkPair;
  client: TunnelHttpClient;
  forwarder: HttpForwarder;
  keys: SigningKeyPair;
  log: CapturedLog;
  /** Sends a signed targets set and waits until the agent holds it. */
  registerTargets(baseUrls: string[], nowMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const agentId = 'agent-1';
export const tenantId = 'tenant-1';

/** A TunnelHttpClient and an HttpForwarder connected by a real ws link on loopback. */
export async function connectTunnelHttp(
  options: {
    client?: Partial<TunnelHttpClientOptions>;
    forwarder?: Partial<HttpForwarderOptions>;
  } = {},
): Promise<TunnelHttp> {
  const pair = await createLinkPair();
  const keys = generateSigningKeyPair();
  const log = new CapturedLog();
  const client = new TunnelHttpClient(pair.cloud, {
    logger: log.logger,
    agentId,
    ...options.client,
  });
  const forwarder = new HttpForwarder(pair.agent, {
    agentId,
    tenantId,
    cloudSigningPublicKey: keys.publicKey,
    logger: log.logger,
    ...options.forwarder,
  });
  pair.cloud.attach(client);
  pair.agent.attach(forwarder);
  let clock = 1_000;
  const registerTargets = async (baseUrls: string[], nowMs = ++clock) => {
    pair.cloud.send(
      httpTargetsFrame({ agentId, tenantId, baseUrls, signingSecretKey: keys.secretKey, nowMs }),
    );
    await waitForRoundTrip(pair);
  };
  return { pair, client, forwarder, keys, log, registerTargets, close: () => pair.close() };
}

let lastBarrierStreamId = 0xffff_ffff;

/**
 * Resolves once everything the cloud sent before it has been handled by the agent: the agent
 * refuses a request to an unregistered target at once, and the link keeps order. Barrier
 * stream ids count down from the top, far from the client's.
 */
export async function waitForRoundTrip(pair: LinkPair): Promise<void> {
  const streamId = lastBarrierStreamId--;
  await new Promise<void>((resolve) => {
    const barrier: FrameHandler<AgentFrame> = {
      handleFrame: (frame) => {
        if (frame.type !== 'stream.error' || frame.streamId !== streamId) return false;
        pair.cloud.detach(barrier);
        resolve();
        return true;
      },
      handleData: () => {},
      linkClosed: () => resolve(),
    };
    pair.cloud.attach(barrier);
    pair.cloud.send({
      type: 'http.request',
      streamId,
      method: 'GET',
      url: 'http://barrier.invalid/',
      headers: [],
      hasBody: false,
      timeoutMs: 1000,
    });
  });
}
