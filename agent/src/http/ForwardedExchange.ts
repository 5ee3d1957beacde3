import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type CloudFrame,
  type FrameLink,
  type FrameOfType,
  httpResponseFrame,
  StreamInbox,
  StreamPump,
  type WireError,
} from '@plumbline/proto';
import { forwardableHeaders } from './forwardableHeaders.ts';
import { upstreamFailure } from './upstreamFailure.ts';

type RequestFrame = FrameOfType<CloudFrame, 'http.request'>;

/** The target's answer head does not fit the `http.response` frame (too many or huge headers). */
class HeadNotSendable extends Error {}

/** Encodings fetch decodes itself: the body passed on is plain, so these headers would lie. */
const decodedEncodings = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/** Calls `onDeadline` after `ms` unless the returned function is called first. */
export type StartDeadline = (ms: number, onDeadline: () => void) => () => void;

export const startDeadlineTimer: StartDeadline = (ms, onDeadline) => {
  const timer = setTimeout(onDeadline, ms);
  return () => clearTimeout(timer);
};

export interface ForwardedExchangeOptions {
  fetch: typeof fetch;
  logger: Logger;
  startDeadline: StartDeadline;
  /** Called once when the stream is over on this side. */
  finished(streamId: number): void;
}

/**
 * One request forwarded for the cloud: the request body comes from stream data (credit granted
 * back as the target reads it), the answer goes back as `http.response`, stream data within the
 * cloud's credit, and `stream.end`; any failure is one `stream.error`.
 */
export class ForwardedExchange {
  private readonly link: FrameLink<AgentFrame>;
  private readonly frame: RequestFrame;
  private readonly url: URL;
  private readonly options: ForwardedExchangeOptions;
  private readonly upstream = new AbortController();
  private readonly inbox: StreamInbox | undefined;
  private pump: StreamPump | undefined;
  private cancelDeadline: (() => void) | undefined;
  private timedOut = false;
  private over = false;
  private status = 0;
  private readonly startedAtMs = performance.now();

  constructor(
    link: FrameLink<AgentFrame>,
    frame: RequestFrame,
    url: URL,
    options: ForwardedExchangeOptions,
  ) {
    this.link = link;
    this.frame = frame;
    this.url = url;
    this.options = options;
    if (frame.hasBody) {
      this.inbox = new StreamInbox({
        grantCredit: (bytes) =>
          this.send({ type: 'stream.credit', streamId: frame.streamId, bytes }),
        cancelled: () => this.send({ type: 'stream.cancel', streamId: frame.streamId }),
      });
    }
  }

  start(): void {
    this.cancelDeadline = this.options.startDeadline(this.frame.timeoutMs, () => {
      this.timedOut = true;
      this.upstream.abort();
    });
    this.forward().catch((error: unknown) => this.failUpstream(error));
  }

  onData(bytes: Buffer): void {
    if (!this.inbox || this.over) return;
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.inbox.push(view)) return;
    this.fail({
      code: 'flow_control_violated',
      message: `the cloud sent more request body than its credit for stream ${this.frame.streamId}`,
    });
  }

  onEnd(): void {
    this.inbox?.end();
  }

  onCredit(bytes: number): void {
    this.pump?.addCredit(bytes);
  }

  /** The cloud gave up (its caller aborted, or the request body failed there). */
  onCancel(reason: string): void {
    if (this.over) return;
    this.inbox?.fail(new Error(reason));
    this.finish('cancelled', undefined);
  }

  linkClosed(reason: string): void {
    this.onCancel(`link closed: ${reason}`);
  }

  private async forward(): Promise<void> {
    const headers = forwardableHeaders(
      this.frame.headers,
      this.frame.hasBody ? new Set() : new Set(['content-length']),
    );
    const init: RequestInit & { duplex?: 'half' } = {
      method: this.frame.method,
      headers,
      redirect: 'manual',
      signal: this.upstream.signal,
    };
    if (this.inbox) {
      init.body = this.inbox.body;
      init.duplex = 'half';
    }
    const response = await this.options.fetch(this.url, init);
    if (this.over) {
      await response.body?.cancel().catch(() => {});
      return;
    }
    this.sendHead(response);
    await this.sendBody(response);
  }

  /** Throws HeadNotSendable when the head does not fit the frame. */
  private sendHead(response: Response): void {
    const encoding = response.headers.get('content-encoding')?.trim().toLowerCase();
    const decoded = encoding !== undefined && decodedEncodings.has(encoding);
    const drop = decoded ? new Set(['content-encoding', 'content-length']) : new Set<string>();
    this.status = response.status;
    // Checked here: a frame the cloud's reader refuses would close the whole link.
    const head = httpResponseFrame.safeParse({
      type: 'http.response',
      streamId: this.frame.streamId,
      status: response.status,
      statusText: response.statusText.slice(0, 256),
      headers: forwardableHeaders(response.headers, drop),
    });
    if (!head.success) {
      const issue = head.error.issues[0];
      throw new HeadNotSendable(
        `${this.url.origin}${this.url.pathname} answered ${response.status} with a head the ` +
          `tunnel cannot carry: ${issue?.path.join('.')} ${issue?.message}`,
      );
    }
    this.send(head.data);
  }

  private async sendBody(response: Response): Promise<void> {
    if (!response.body) {
      this.finish('done', 0);
      return;
    }
    const pump = new StreamPump(this.link, this.frame.streamId, response.body);
    this.pump = pump;
    const outcome = await pump.run();
    if (outcome.state === 'done') this.finish('done', outcome.sentBytes);
  }

  private failUpstream(error: unknown): void {
    if (this.over) return;
    if (this.timedOut) {
      this.fail({
        code: 'timeout',
        message:
          `${this.frame.method} ${this.url.origin}${this.url.pathname} got no complete answer ` +
          `within ${this.frame.timeoutMs} ms`,
      });
      return;
    }
    if (error instanceof HeadNotSendable) {
      this.fail({ code: 'response_not_sendable', message: error.message });
      return;
    }
    this.fail(upstreamFailure(error, this.url));
  }

  private fail(error: WireError): void {
    if (this.over) return;
    this.send({ type: 'stream.error', streamId: this.frame.streamId, error });
    this.inbox?.fail(new Error(error.message));
    this.finish('failed', undefined, error.code);
  }

  private finish(
    outcome: 'done' | 'failed' | 'cancelled',
    responseBytes: number | undefined,
    code?: string,
  ): void {
    if (this.over) return;
    this.over = true;
    this.cancelDeadline?.();
    if (outcome === 'done') this.send({ type: 'stream.end', streamId: this.frame.streamId });
    else this.upstream.abort();
    this.pump?.stop(new Error(`stream ${this.frame.streamId} is ${outcome}`));
    this.log(outcome, responseBytes, code);
    this.options.finished(this.frame.streamId);
  }

  /** One line per request: never headers or the query string, which may carry tokens. */
  private log(outcome: string, responseBytes: number | undefined, code: string | undefined): void {
    const fields = {
      streamId: this.frame.streamId,
      method: this.frame.method,
      target: `${this.url.origin}${this.url.pathname}`,
      outcome,
      status: this.status || undefined,
      requestBytes: this.inbox?.receivedBytes ?? 0,
      responseBytes,
      code,
      durationMs: Math.round(performance.now() - this.startedAtMs),
    };
    if (outcome === 'done') this.options.logger.info(fields, 'forwarded an HTTP request');
    else this.options.logger.warn(fields, `HTTP request through the agent ${outcome}`);
  }

  private send(frame: AgentFrame): void {
    this.link.send(frame);
  }
}
