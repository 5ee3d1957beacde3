import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type CloudFrame,
  type FrameHandler,
  type FrameLink,
  type FrameOfType,
  type TargetsSigningPayload,
  verifyPayload,
  type WireError,
} from '@plumbline/proto';
import { ForwardedExchange, type StartDeadline, startDeadlineTimer } from './ForwardedExchange.ts';
import { TargetAllowList } from './TargetAllowList.ts';
import { upstreamFetch } from './upstreamFetch.ts';

export interface HttpForwarderOptions {
  agentId: string;
  tenantId: string;
  /** The cloud's signing key pinned at enrollment (base64 ed25519). */
  cloudSigningPublicKey: string;
  logger: Logger;
  /** An extra CA bundle (PEM) to trust for the targets, beside the system's. */
  caFile?: string;
  /** Sends the upstream requests; undici's fetch by default. */
  fetch?: typeof fetch;
  /** Requests forwarded at once; more are refused with `too_many_streams`. Default 64. */
  maxConcurrentStreams?: number;
  /** Starts a request's deadline timer; returns its cancel. `setTimeout` by default (for tests). */
  startDeadline?: StartDeadline;
}

type TargetsFrame = FrameOfType<CloudFrame, 'http.targets'>;
type RequestFrame = FrameOfType<CloudFrame, 'http.request'>;

const defaultMaxConcurrentStreams = 64;
/** Finished stream ids remembered so late frames for them are taken, not passed on as unknown. */
const rememberedFinishedStreams = 1024;

/**
 * The agent's half of HTTP through the tunnel: forwards the cloud's `http.request` streams to
 * the base URLs in the last `http.targets` set signed with the pinned cloud key, and to nothing
 * else. Until such a set arrives, every request is refused.
 */
export class HttpForwarder implements FrameHandler<CloudFrame> {
  private readonly link: FrameLink<AgentFrame>;
  private readonly options: HttpForwarderOptions;
  private readonly fetch: typeof fetch;
  private readonly maxStreams: number;
  private readonly exchanges = new Map<number, ForwardedExchange>();
  private readonly finishedStreams = new Set<number>();
  private targets = TargetAllowList.empty();
  private targetsIssuedAtMs = -1;

  constructor(link: FrameLink<AgentFrame>, options: HttpForwarderOptions) {
    this.link = link;
    this.options = options;
    this.fetch = options.fetch ?? upstreamFetch(options.caFile);
    this.maxStreams = options.maxConcurrentStreams ?? defaultMaxConcurrentStreams;
  }

  /** The base URLs requests may go to now. */
  get allowedBaseUrls(): string[] {
    return this.targets.bases.map((base) => base.href);
  }

  handleFrame(frame: CloudFrame): boolean {
    switch (frame.type) {
      case 'http.targets':
        this.acceptTargets(frame);
        return true;
      case 'http.request':
        this.startExchange(frame);
        return true;
      case 'stream.credit':
        return this.route(frame.streamId, (exchange) => exchange.onCredit(frame.bytes));
      case 'stream.end':
        return this.route(frame.streamId, (exchange) => exchange.onEnd());
      case 'stream.cancel':
        return this.route(frame.streamId, (exchange) =>
          exchange.onCancel('cancelled by the cloud'),
        );
      case 'stream.error':
        return this.route(frame.streamId, (exchange) =>
          exchange.onCancel(`the cloud failed the request body: ${frame.error.message}`),
        );
      default:
        return false;
    }
  }

  handleData(streamId: number, bytes: Buffer): void {
    this.exchanges.get(streamId)?.onData(bytes);
  }

  linkClosed(reason: string): void {
    for (const exchange of [...this.exchanges.values()]) exchange.linkClosed(reason);
  }

  private acceptTargets(frame: TargetsFrame): void {
    const { agentId, tenantId, logger } = this.options;
    const payload: TargetsSigningPayload = {
      purpose: 'plumbline.targets.v1',
      agentId,
      tenantId,
      baseUrls: frame.baseUrls,
      issuedAtMs: frame.issuedAtMs,
    };
    if (!verifyPayload(payload, frame.signature, this.options.cloudSigningPublicKey)) {
      logger.warn(
        { agentId, issuedAtMs: frame.issuedAtMs },
        'ignored an http.targets frame whose signature does not verify with the pinned cloud key',
      );
      return;
    }
    if (frame.issuedAtMs < this.targetsIssuedAtMs) {
      logger.warn(
        { agentId, issuedAtMs: frame.issuedAtMs, currentIssuedAtMs: this.targetsIssuedAtMs },
        'ignored an http.targets frame older than the set in force',
      );
      return;
    }
    const { list, rejected } = TargetAllowList.parse(frame.baseUrls);
    if (rejected.length > 0) {
      logger.warn(
        { agentId, rejected },
        'ignored base URLs that are not plain http(s) URLs without credentials, query or fragment',
      );
    }
    this.targets = list;
    this.targetsIssuedAtMs = frame.issuedAtMs;
    logger.info(
      { agentId, baseUrls: this.allowedBaseUrls, issuedAtMs: frame.issuedAtMs },
      'HTTP targets updated',
    );
  }

  private startExchange(frame: RequestFrame): void {
    const { streamId } = frame;
    if (this.exchanges.has(streamId)) {
      this.refuse(streamId, { code: 'bad_stream', message: `stream ${streamId} is already open` });
      return;
    }
    const check = this.targets.check(frame.url);
    if (!check.allowed) {
      this.options.logger.warn(
        { agentId: this.options.agentId, streamId, method: frame.method, reason: check.message },
        'refused an HTTP request to a target not registered for this agent',
      );
      this.refuse(streamId, { code: 'target_not_allowed', message: check.message });
      return;
    }
    if (this.exchanges.size >= this.maxStreams) {
      this.refuse(streamId, {
        code: 'too_many_streams',
        message:
          `the agent forwards at most ${this.maxStreams} HTTP requests at once and that many ` +
          'are in flight; retry when one has finished',
      });
      return;
    }
    const exchange = new ForwardedExchange(this.link, frame, check.url, {
      fetch: this.fetch,
      logger: this.options.logger,
      startDeadline: this.options.startDeadline ?? startDeadlineTimer,
      finished: (id) => this.forget(id),
    });
    this.exchanges.set(streamId, exchange);
    exchange.start();
  }

  private refuse(streamId: number, error: WireError): void {
    this.link.send({ type: 'stream.error', streamId, error });
    this.remember(streamId);
  }

  private route(streamId: number, deliver: (exchange: ForwardedExchange) => void): boolean {
    const exchange = this.exchanges.get(streamId);
    if (exchange) {
      deliver(exchange);
      return true;
    }
    return this.finishedStreams.has(streamId);
  }

  private forget(streamId: number): void {
    this.exchanges.delete(streamId);
    this.remember(streamId);
  }

  private remember(streamId: number): void {
    this.finishedStreams.add(streamId);
    if (this.finishedStreams.size <= rememberedFinishedStreams) return;
    const oldest = this.finishedStreams.values().next();
    if (!oldest.done) this.finishedStreams.delete(oldest.value);
  }
}
