import type { Logger } from '@plumbline/log';
import type { AgentFrame, CloudFrame, FrameHandler, FrameLink } from '@plumbline/proto';
import { knownBodyLength } from './knownBodyLength.ts';
import { StreamSlots } from './StreamSlots.ts';
import { TunnelExchange } from './TunnelExchange.ts';

export interface TunnelHttpClientOptions {
  logger: Logger;
  /** Requests in flight on this link at once; more wait for a free slot. Default 64. */
  maxConcurrentStreams?: number;
  /** Named in errors ("agent <id> disconnected during ..."). */
  agentId?: string;
  /** The agent's deadline for a whole exchange when the caller gives none. Default 60 s. */
  defaultTimeoutMs?: number;
}

const defaultMaxConcurrentStreams = 64;
const defaultTimeoutMs = 60_000;
const maxStreamId = 0xffff_ffff;

/**
 * The standard fetch API carried over one agent's tunnel: `fetch` sends each request as an
 * `http.request` stream and resolves with a real Response whose body streams from the agent.
 * The link's owner passes it the agent's frames and stream data and tells it when the link is gone.
 *
 * Known shortcomings:
 * - A deadline set with `AbortSignal.timeout()` cannot be read from the signal, so the agent is
 *   always given `defaultTimeoutMs`; the caller's signal still cancels the stream from this side
 *   when it fires.
 * - There is no deadline on this side: an agent that stays connected but never answers holds
 *   the request until the caller's signal fires or the link is dropped as a dead peer.
 * - A stream's slot is freed when the answer has fully arrived, so a caller that never reads or
 *   cancels a body keeps its slot (as an unread body keeps a pooled connection in undici).
 */
export class TunnelHttpClient implements FrameHandler<AgentFrame> {
  readonly fetch: typeof fetch;
  private readonly link: FrameLink<CloudFrame>;
  private readonly logger: Logger;
  private readonly agentId: string;
  private readonly timeoutMs: number;
  private readonly slots: StreamSlots;
  private readonly exchanges = new Map<number, TunnelExchange>();
  private lastStreamId = 0;
  private closedReason: string | undefined;

  constructor(link: FrameLink<CloudFrame>, options: TunnelHttpClientOptions) {
    this.link = link;
    this.logger = options.logger;
    this.agentId = options.agentId ?? 'unknown';
    this.timeoutMs = options.defaultTimeoutMs ?? defaultTimeoutMs;
    this.slots = new StreamSlots(options.maxConcurrentStreams ?? defaultMaxConcurrentStreams);
    this.fetch = (input, init) => this.send(input, init);
  }

  /** Requests whose stream is still open on the wire. */
  get openStreams(): number {
    return this.exchanges.size;
  }

  handleFrame(frame: AgentFrame): boolean {
    switch (frame.type) {
      case 'http.response':
        return this.route(frame.streamId, (exchange) => exchange.onResponse(frame));
      case 'stream.credit':
        return this.route(frame.streamId, (exchange) => exchange.onCredit(frame.bytes));
      case 'stream.end':
        return this.route(frame.streamId, (exchange) => exchange.onEnd());
      case 'stream.error':
        return this.route(frame.streamId, (exchange) => exchange.onError(frame.error));
      case 'stream.cancel':
        return this.route(frame.streamId, (exchange) => exchange.onAgentCancel());
      default:
        return false;
    }
  }

  handleData(streamId: number, bytes: Buffer): void {
    this.exchanges.get(streamId)?.onData(bytes);
  }

  linkClosed(reason: string): void {
    this.closedReason = reason;
    // Waiters first: a stream failing below frees its slot, which must not start a waiter.
    this.slots.closeAll(() =>
      this.disconnectedError('while the request waited for a free stream', reason),
    );
    for (const exchange of [...this.exchanges.values()]) exchange.linkClosed(reason);
  }

  private async send(input: Request | string | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    if (this.closedReason !== undefined || this.link.closed) {
      const url = new URL(request.url);
      const target = `${request.method} ${url.origin}${url.pathname}`;
      throw this.disconnectedError(`before ${target} was sent`, this.closedReason);
    }

    // A free slot is taken synchronously, so the request is on the wire when fetch returns.
    if (!this.slots.tryAcquire()) {
      await this.slots.acquire(signal);
      if (this.closedReason !== undefined) {
        this.slots.release();
        throw this.disconnectedError(
          'while the request waited for a free stream',
          this.closedReason,
        );
      }
    }
    const streamId = this.nextStreamId();
    const exchange = new TunnelExchange(this.link, streamId, request, {
      agentId: this.agentId,
      timeoutMs: this.timeoutMs,
      logger: this.logger,
      finished: (id) => {
        this.exchanges.delete(id);
        this.slots.release();
        signal.removeEventListener('abort', onAbort);
      },
    });
    const onAbort = () => exchange.abort(signal.reason);
    this.exchanges.set(streamId, exchange);
    signal.addEventListener('abort', onAbort, { once: true });
    exchange.start(knownBodyLength(init));
    return exchange.response;
  }

  /**
   * Ids grow from 1; an id is ours once handed out, so late frames for a finished stream are
   * taken (and dropped) here rather than passed on as unknown.
   */
  /**
   * Delivers a frame to its stream's exchange. True for every stream this client opened, also
   * one already over (a late frame is dropped); false for a stream that is not ours.
   */
  private route(streamId: number, deliver: (exchange: TunnelExchange) => void): boolean {
    if (!this.isOurs(streamId)) return false;
    const exchange = this.exchanges.get(streamId);
    if (exchange) deliver(exchange);
    return true;
  }

  private isOurs(streamId: number): boolean {
    return this.exchanges.has(streamId) || (streamId >= 1 && streamId <= this.lastStreamId);
  }

  private nextStreamId(): number {
    // Known shortcoming: after 2^32 - 1 requests on one link the ids would wrap; a link lives
    // hours, not billions of requests, so this throws instead of reusing ids.
    if (this.lastStreamId >= maxStreamId) throw new RangeError('stream ids exhausted on this link');
    this.lastStreamId++;
    return this.lastStreamId;
  }

  private disconnectedError(what: string, reason: string | undefined): TypeError {
    const why = reason ? ` (${reason})` : '';
    const message = `agent ${this.agentId} disconnected ${what}${why}`;
    return new TypeError(message, { cause: { code: 'agent_disconnected', message } });
  }
}
