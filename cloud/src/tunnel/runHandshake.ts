import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '@plumbline/log';
import {
  agentFrameSchema,
  type CloseReason,
  type CloudFrame,
  closeReasons,
  encodeFrame,
  FrameReader,
  supportedProtocolVersions,
} from '@plumbline/proto';
import type WebSocket from 'ws';
import type { AgentConnection } from './AgentConnection.ts';
import type { AuthFrame } from './verifyAuth.ts';

/** What the handshake hands over with an `auth` frame to decide. */
export interface HandshakeContext {
  challenge: string;
  connectionId: string;
  address: string | null;
  /** The socket's reader; the connection keeps reading with it (chunk state, limits). */
  reader: FrameReader<typeof agentFrameSchema>;
}

export type HandshakeDecision =
  | { ok: true; connection: AgentConnection }
  | { ok: false; reason: CloseReason; message: string };

export interface HandshakeOptions {
  ws: WebSocket;
  address: string | null;
  timeoutMs: number;
  now: () => number;
  logger: Logger;
  /** Verifies the auth and, when it holds, builds the connection that takes the socket over. */
  decide(auth: AuthFrame, context: HandshakeContext): Promise<HandshakeDecision>;
  onRefused(reason: CloseReason): void;
  /** Accepted, refused or closed: the socket is no longer in its handshake. */
  onSettled(): void;
}

/**
 * One socket before authentication: sends `hello` with a fresh challenge, expects `auth` and
 * nothing else within the timeout, and closes with the reason when anything goes wrong.
 * Messages that arrive while the auth is checked wait, and go to the connection afterwards.
 */
export function runHandshake(options: HandshakeOptions): void {
  const { ws, address } = options;
  const connectionId = randomUUID();
  const challenge = randomBytes(32).toString('base64');
  const reader = new FrameReader(agentFrameSchema);
  const log = options.logger.child({ connectionId, address });
  let phase: 'hello' | 'verifying' | 'done' = 'hello';
  let connection: AgentConnection | undefined;
  const queued: [Buffer, boolean][] = [];

  const settle = () => {
    phase = 'done';
    clearTimeout(timeout);
    options.onSettled();
  };
  const refuse = (reason: CloseReason, message: string) => {
    if (phase === 'done') return;
    settle();
    options.onRefused(reason);
    log.warn({ reason, message }, 'tunnel handshake refused');
    ws.close(closeReasons[reason], reason);
    setTimeout(() => ws.terminate(), 1000).unref();
  };
  const timeout = setTimeout(
    () => refuse('auth_timeout', `no auth within ${options.timeoutMs} ms`),
    options.timeoutMs,
  );

  const decide = (auth: AuthFrame) => {
    phase = 'verifying';
    options.decide(auth, { challenge, connectionId, address, reader }).then(
      (decision) => {
        if (phase !== 'verifying') return;
        if (!decision.ok) return refuse(decision.reason, decision.message);
        settle();
        connection = decision.connection;
        for (const [message, binary] of queued.splice(0)) connection.receive(message, binary);
      },
      (error: unknown) => {
        log.error({ err: error }, 'tunnel handshake failed');
        refuse('internal_error', 'the cloud failed while checking the auth');
      },
    );
  };

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (connection) return connection.receive(data, isBinary);
    if (phase === 'verifying') return void queued.push([data, isBinary]);
    if (phase === 'done') return;
    const read = reader.read(data, isBinary);
    if (read.kind === 'pending') return;
    if (read.kind === 'error') return refuse(read.reason, read.message);
    if (read.kind === 'data' || read.frame.type !== 'auth') {
      const what = read.kind === 'data' ? 'stream data' : `a ${read.frame.type} frame`;
      return refuse('not_authenticated', `${what} before auth`);
    }
    decide(read.frame);
  });
  ws.on('close', () => {
    if (phase !== 'done') settle();
  });
  ws.on('error', (error) => log.warn({ err: error }, 'tunnel socket error'));

  const hello: CloudFrame = {
    type: 'hello',
    versions: [...supportedProtocolVersions],
    connectionId,
    challenge,
    serverTimeMs: options.now(),
  };
  for (const message of encodeFrame(hello)) ws.send(message);
}
