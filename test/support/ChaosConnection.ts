import type { Socket } from 'node:net';
import type { SeededRandom } from './seededRandom.ts';

/** `up` is client to target (agent to cloud), `down` is target to client. */
export type Direction = 'up' | 'down';

/**
 * What a connection does with the bytes it reads:
 * - `pass` forwards them at once;
 * - `delay` holds every chunk `delayMs` before forwarding it, in order;
 * - `drop` is a black hole: bytes are read and thrown away, nothing is forwarded and neither
 *   side is closed (not even when the other side closes), so only a liveness deadline ends it.
 */
export type ChaosMode = { kind: 'pass' } | { kind: 'delay'; delayMs: number } | { kind: 'drop' };

/** What `cutMidFrame` did: how much of the chunk it caught went through before the cut. */
export interface MidFrameCut {
  direction: Direction;
  forwardedBytes: number;
  chunkBytes: number;
}

export interface ByteCounts {
  /** Read from the sending side. */
  received: number;
  /** Written to the receiving side. */
  forwarded: number;
  /** Thrown away in `drop` mode or because the connection was cut. */
  dropped: number;
}

interface Pending {
  chunk: Buffer;
  ready: boolean;
  /** Cut the connection once this chunk is written (a mid-frame cut). */
  cutAfter?: MidFrameCut;
}

interface ArmedCut {
  direction: Direction | 'either';
  resolve: (cut: MidFrameCut) => void;
  reject: (error: Error) => void;
}

/**
 * One client connection through a ChaosProxy and its connection to the target. Its mode and its
 * cuts are set by the test; what it does to bytes is in `ChaosMode`. Each direction keeps its
 * own queue, so delayed chunks keep their order, and the sending socket is paused while the
 * receiving one is full (a delay still buffers up to one delay's worth of traffic in memory).
 */
export class ChaosConnection {
  readonly id: number;
  private mode: ChaosMode;
  private readonly sockets: Record<Direction, { from: Socket; to: Socket }>;
  private readonly queues: Record<Direction, Pending[]> = { up: [], down: [] };
  private readonly counts: Record<Direction, ByteCounts> = {
    up: { received: 0, forwarded: 0, dropped: 0 },
    down: { received: 0, forwarded: 0, dropped: 0 },
  };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly byteWaiters: { direction: Direction; bytes: number; resolve: () => void }[] = [];
  private readonly random: SeededRandom;
  /** Directions whose sender ended while chunks were still held: end the receiver after them. */
  private readonly endedWhileQueued = new Set<Direction>();
  private armedCut: ArmedCut | undefined;
  private closedFlag = false;
  private resolveClosed!: () => void;
  /** Settles once both sockets are gone, whoever ended them. */
  readonly closed: Promise<void>;

  constructor(options: {
    id: number;
    client: Socket;
    target: Socket;
    mode: ChaosMode;
    random: SeededRandom;
  }) {
    this.id = options.id;
    this.mode = options.mode;
    this.random = options.random;
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    this.sockets = {
      up: { from: options.client, to: options.target },
      down: { from: options.target, to: options.client },
    };
    for (const direction of ['up', 'down'] as const) this.wire(direction);
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  get currentMode(): ChaosMode {
    return this.mode;
  }

  /** Chunks an earlier delay still holds keep their order and timers, unless now dropped. */
  setMode(mode: ChaosMode): void {
    this.mode = mode;
    if (mode.kind === 'drop')
      for (const direction of ['up', 'down'] as const) this.discardQueue(direction);
  }

  bytes(direction: Direction): ByteCounts {
    return { ...this.counts[direction] };
  }

  /** Resolves once the proxy has seen the client's (or the target's) socket close. */
  whenSocketClosed(side: 'client' | 'target'): Promise<void> {
    const socket = side === 'client' ? this.sockets.up.from : this.sockets.down.from;
    if (socket.closed) return Promise.resolve();
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Resolves once at least `bytes` have been read from the `direction`'s sending side. */
  whenReceived(direction: Direction, bytes: number): Promise<void> {
    if (this.counts[direction].received >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.byteWaiters.push({ direction, bytes, resolve }));
  }

  /** Destroys both sides at once with a TCP reset: each peer sees ECONNRESET, not a close. */
  cut(): void {
    if (!this.stop()) return;
    for (const { from } of Object.values(this.sockets)) {
      if (!from.destroyed) from.resetAndDestroy();
    }
  }

  /**
   * Arms a cut: the next chunk read in `direction` (or either) is forwarded only in part
   * (between 1 and all-but-one of its bytes, chosen by the proxy's seeded random; nothing of
   * a one-byte chunk), then both sides are destroyed. A chunk is what one read returned, so
   * the cut lands inside whatever frame that chunk began or continued.
   */
  cutMidFrame(direction: Direction | 'either' = 'either'): Promise<MidFrameCut> {
    if (this.closedFlag) {
      return Promise.reject(new Error(`connection ${this.id} is already closed`));
    }
    if (this.armedCut !== undefined) {
      return Promise.reject(new Error(`connection ${this.id} already has a mid-frame cut armed`));
    }
    return new Promise((resolve, reject) => {
      this.armedCut = { direction, resolve, reject };
    });
  }

  private wire(direction: Direction): void {
    const { from, to } = this.sockets[direction];
    from.on('data', (chunk: Buffer) => this.onData(direction, chunk));
    from.on('end', () => this.onEnd(direction));
    from.on('close', () => this.onSocketClose(direction));
    from.on('error', () => {
      // A reset or refused target: 'close' follows and ends the connection.
    });
    to.on('drain', () => from.resume());
  }

  private onData(direction: Direction, chunk: Buffer): void {
    const counts = this.counts[direction];
    counts.received += chunk.byteLength;
    this.wakeByteWaiters(direction);
    if (this.closedFlag || this.mode.kind === 'drop') {
      counts.dropped += chunk.byteLength;
      return;
    }
    const armed = this.armedCut;
    if (armed !== undefined && (armed.direction === 'either' || armed.direction === direction)) {
      this.armedCut = undefined;
      const forwardedBytes =
        chunk.byteLength < 2 ? 0 : this.random.intBetween(1, chunk.byteLength - 1);
      const cut = { direction, forwardedBytes, chunkBytes: chunk.byteLength };
      counts.dropped += chunk.byteLength - forwardedBytes;
      this.enqueue(direction, chunk.subarray(0, forwardedBytes), cut);
      armed.resolve(cut);
      return;
    }
    this.enqueue(direction, chunk, undefined);
  }

  private enqueue(direction: Direction, chunk: Buffer, cutAfter: MidFrameCut | undefined): void {
    const pending: Pending = { chunk, ready: this.mode.kind !== 'delay' };
    if (cutAfter !== undefined) pending.cutAfter = cutAfter;
    this.queues[direction].push(pending);
    if (this.mode.kind === 'delay') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        pending.ready = true;
        this.flush(direction);
      }, this.mode.delayMs);
      this.timers.add(timer);
      return;
    }
    this.flush(direction);
  }

  private flush(direction: Direction): void {
    const queue = this.queues[direction];
    const { from, to } = this.sockets[direction];
    while (queue[0]?.ready && !this.closedFlag) {
      const pending = queue.shift() as Pending;
      if (pending.chunk.byteLength > 0) {
        this.counts[direction].forwarded += pending.chunk.byteLength;
        if (!to.write(pending.chunk)) from.pause();
      }
      if (pending.cutAfter !== undefined) {
        this.cutAfterPartial(direction);
        return;
      }
    }
    if (queue.length === 0 && this.endedWhileQueued.has(direction)) to.end();
  }

  private onEnd(direction: Direction): void {
    if (this.closedFlag || this.mode.kind === 'drop') return;
    if (this.queues[direction].length > 0) {
      this.endedWhileQueued.add(direction);
      return;
    }
    this.sockets[direction].to.end();
  }

  private onSocketClose(direction: Direction): void {
    const { from, to } = this.sockets[direction];
    if (this.closedFlag) return;
    if (this.mode.kind === 'drop') {
      // A black hole tells the other side nothing; it stays open until cut or the proxy closes.
      if (to.destroyed) this.stop();
      return;
    }
    if (this.queues[direction].length === 0 && !to.destroyed) to.destroy();
    if (from.destroyed && to.destroyed) this.stop();
  }

  /**
   * The receiver gets the partial chunk and then a FIN (so the bytes surely arrive and its
   * parser sees a frame end early); the sender gets a reset.
   */
  private cutAfterPartial(direction: Direction): void {
    const { from, to } = this.sockets[direction];
    if (!this.stop()) return;
    to.end(() => to.destroy());
    from.resetAndDestroy();
  }

  /** Marks the connection closed and forgets what it held; false if it already was. */
  private stop(): boolean {
    if (this.closedFlag) return false;
    this.closedFlag = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const direction of ['up', 'down'] as const) this.discardQueue(direction);
    this.armedCut?.reject(new Error(`connection ${this.id} closed before the armed cut`));
    this.armedCut = undefined;
    this.resolveClosed();
    return true;
  }

  private discardQueue(direction: Direction): void {
    const queue = this.queues[direction];
    for (const pending of queue) this.counts[direction].dropped += pending.chunk.byteLength;
    queue.length = 0;
  }

  private wakeByteWaiters(direction: Direction): void {
    const received = this.counts[direction].received;
    for (let index = this.byteWaiters.length - 1; index >= 0; index--) {
      const waiter = this.byteWaiters[index];
      if (waiter?.direction === direction && received >= waiter.bytes) {
        this.byteWaiters.splice(index, 1);
        waiter.resolve();
      }
    }
  }
}
