import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  type ByteCounts,
  ChaosConnection,
  type ChaosMode,
  type Direction,
  type MidFrameCut,
} from './ChaosConnection.ts';
import { type SeededRandom, seededRandom } from './seededRandom.ts';

export type { ByteCounts, ChaosConnection, ChaosMode, Direction, MidFrameCut };

export interface ChaosProxyOptions {
  /** Where connections are forwarded; `setTarget` changes it for later connections. */
  targetPort: number;
  targetHost?: string;
  /** Seeds the random cut points, so a run can be replayed. */
  seed?: number;
  /** Listen on this port (0, the default: any free port). */
  port?: number;
}

export interface ChaosStats {
  /** Connections accepted and forwarded (refused ones not counted). */
  accepted: number;
  /** Connections reset at once because the proxy was refusing. */
  refused: number;
  /** Connections whose target could not be reached (the client was reset). */
  targetFailures: number;
  /** Connections open now. */
  live: number;
  up: ByteCounts;
  down: ByteCounts;
}

/**
 * A TCP proxy on 127.0.0.1 for tests: it sits between an agent and the cloud and does to each
 * connection what the test says, when the test says it. Nothing happens on its own except
 * `refuseFor`, which ends after a timer, and `delay`, which holds bytes for a timer.
 *
 * Refusing accepts the TCP connection and resets it at once: the client sees ECONNRESET rather
 * than ECONNREFUSED, which keeps the port ours while refusing (another process could take it).
 */
export class ChaosProxy {
  readonly host = '127.0.0.1';
  readonly port: number;
  private readonly server: Server;
  private targetPort: number;
  private readonly targetHost: string;
  private readonly random: SeededRandom;
  private mode: ChaosMode = { kind: 'pass' };
  private refusing = false;
  private refuseTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly open = new Set<ChaosConnection>();
  /** Every connection ever forwarded, for byte counts that include closed ones. */
  private readonly all: ChaosConnection[] = [];
  private readonly clientSockets = new Set<Socket>();
  private counts = { accepted: 0, refused: 0, targetFailures: 0 };
  private connectionWaiters: ((connection: ChaosConnection) => void)[] = [];

  private constructor(server: Server, port: number, options: ChaosProxyOptions) {
    this.server = server;
    this.port = port;
    this.targetPort = options.targetPort;
    this.targetHost = options.targetHost ?? '127.0.0.1';
    this.random = seededRandom(options.seed ?? 1);
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new Error(`the chaos proxy expected a TCP address, got ${String(address)}`);
    }
    return new ChaosProxy(server, address.port, options);
  }

  /** `http://127.0.0.1:PORT` (or another scheme): what the agent is given as the cloud. */
  url(scheme: 'http' | 'ws' = 'http'): string {
    return `${scheme}://${this.host}:${this.port}`;
  }

  /** Later connections go to this port; open ones stay where they are. */
  setTarget(port: number): void {
    this.targetPort = port;
  }

  /** The mode of every open connection and of every later one. */
  setMode(mode: ChaosMode): void {
    this.mode = mode;
    for (const connection of this.open) connection.setMode(mode);
  }

  /** Resets every new connection until `admit` (or until `ms` have passed, with `refuseFor`). */
  refuse(): void {
    clearTimeout(this.refuseTimer);
    this.refusing = true;
  }

  refuseFor(ms: number): void {
    this.refuse();
    this.refuseTimer = setTimeout(() => this.admit(), ms);
  }

  admit(): void {
    clearTimeout(this.refuseTimer);
    this.refuseTimer = undefined;
    this.refusing = false;
  }

  get isRefusing(): boolean {
    return this.refusing;
  }

  /** Open connections, oldest first. */
  connections(): ChaosConnection[] {
    return [...this.open];
  }

  /** The next connection the proxy forwards (not one it refuses). */
  nextConnection(): Promise<ChaosConnection> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  /** Resets every open connection; returns how many there were. */
  cutAll(): number {
    const connections = this.connections();
    for (const connection of connections) connection.cut();
    return connections.length;
  }

  /**
   * Arms a mid-frame cut on every open connection that forwards (a black-holed one has no
   * next chunk to cut); see `ChaosConnection.cutMidFrame`.
   */
  cutAllMidFrame(direction: Direction | 'either' = 'either'): Promise<MidFrameCut>[] {
    return this.connections()
      .filter((connection) => connection.currentMode.kind !== 'drop')
      .map((connection) => connection.cutMidFrame(direction));
  }

  stats(): ChaosStats {
    const total = (direction: Direction): ByteCounts => {
      const sum = { received: 0, forwarded: 0, dropped: 0 };
      for (const connection of this.all) {
        const counts = connection.bytes(direction);
        sum.received += counts.received;
        sum.forwarded += counts.forwarded;
        sum.dropped += counts.dropped;
      }
      return sum;
    };
    return { ...this.counts, live: this.open.size, up: total('up'), down: total('down') };
  }

  /** Stops listening and resets every connection. */
  async close(): Promise<void> {
    this.admit();
    this.cutAll();
    for (const socket of this.clientSockets) socket.resetAndDestroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => {
      // Reset by the proxy or the peer; the connection's own handlers deal with the close.
    });
    if (this.refusing) {
      this.counts.refused++;
      client.resetAndDestroy();
      return;
    }
    this.clientSockets.add(client);
    client.once('close', () => this.clientSockets.delete(client));
    client.pause();
    const target = connect({ port: this.targetPort, host: this.targetHost, noDelay: true });
    let connected = false;
    target.once('error', () => {
      if (connected) return;
      this.counts.targetFailures++;
      if (!client.destroyed) client.resetAndDestroy();
    });
    target.once('connect', () => {
      connected = true;
      if (client.destroyed) {
        target.destroy();
        return;
      }
      this.counts.accepted++;
      const connection = new ChaosConnection({
        id: this.nextId++,
        client,
        target,
        mode: this.mode,
        random: this.random,
      });
      this.open.add(connection);
      this.all.push(connection);
      void connection.closed.then(() => this.open.delete(connection));
      client.resume();
      const waiters = this.connectionWaiters;
      this.connectionWaiters = [];
      for (const waiter of waiters) waiter(connection);
    });
  }
}
