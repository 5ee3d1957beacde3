import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type CloudFrame,
  type FrameLink,
  type FrameOfType,
  httpRequestFrame,
  StreamInbox,
  StreamPump,
  type WireError,
} from '@plumbline/proto';
import { tunnelNetworkError } from './tunnelNetworkError.ts';

type ResponseFrame = FrameOfType<AgentFrame, 'http.response'>;

export interface ExchangeOptions {
  agentId: string;
  timeoutMs: number;
  logger: Logger;
  /** Called once when the stream is over on the wire (the body may still be read after). */
  finished(streamId: number): void;
}

/** Statuses whose Response may not have a body (the Response constructor throws otherwise). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * One request through the agent on one stream: sends `http.request` and the request body
 * within the agent's credit, turns `http.response` and the stream data after it into a
 * Response whose body grants credit back only as it is read.
 */
export class TunnelExchange {
  readonly response: Promise<Response>;
  private readonly link: FrameLink<CloudFrame>;
  private readonly streamId: number;
  private readonly request: Request;
  private readonly options: ExchangeOptions;
  private readonly target: string;
  private resolveResponse!: (response: Response) => void;
  private rejectResponse!: (error: unknown) => void;
  private pump: StreamPump | undefined;
  private inbox: StreamInbox | undefined;
  private state: 'waiting' | 'receiving' | 'over' = 'waiting';

  constructor(
    link: FrameLink<CloudFrame>,
    streamId: number,
    request: Request,
    options: ExchangeOptions,
  ) {
    this.link = link;
    this.streamId = streamId;
    this.request = request;
    this.options = options;
    const url = new URL(request.url);
    this.target = `${request.method} ${url.origin}${url.pathname}`;
    this.response = new Promise((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    this.response.catch(() => {});
  }

  start(contentLength: number | undefined): void {
    const headers: [string, string][] = [...this.request.headers];
    const hasBody = this.request.body !== null;
    if (hasBody && contentLength !== undefined && !this.request.headers.has('content-length')) {
      headers.push(['content-length', String(contentLength)]);
    }
    // Checked here: a frame the agent's reader refuses would close the whole link.
    const frame = httpRequestFrame.safeParse({
      type: 'http.request',
      streamId: this.streamId,
      method: this.request.method,
      url: this.request.url,
      headers,
      hasBody,
      timeoutMs: this.options.timeoutMs,
    });
    if (!frame.success) {
      const issue = frame.error.issues[0];
      this.fail({
        code: 'request_not_sendable',
        message:
          `${this.target} cannot go through the tunnel: ${issue?.path.join('.')} ` +
          `${issue?.message} (URLs up to 8192 characters, 200 headers of up to 8192 each)`,
      });
      return;
    }
    this.link.send(frame.data);
    if (this.request.body) this.sendBody(this.request.body);
  }

  onResponse(frame: ResponseFrame): void {
    if (this.state !== 'waiting') return;
    let response: Response;
    try {
      response = this.buildResponse(frame);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.cancel();
      this.fail({ code: 'bad_response', message: `${this.target}: agent sent ${message}` });
      return;
    }
    this.state = 'receiving';
    this.resolveResponse(response);
  }

  onData(bytes: Buffer): void {
    if (this.state !== 'receiving' || !this.inbox) return;
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.inbox.push(view)) return;
    this.cancel();
    this.fail({
      code: 'flow_control_violated',
      message: `${this.target}: agent ${this.options.agentId} sent more body than its credit`,
    });
  }

  onCredit(bytes: number): void {
    this.pump?.addCredit(bytes);
  }

  onEnd(): void {
    if (this.state === 'waiting') {
      this.fail({
        code: 'bad_response',
        message: `${this.target}: stream ended before a response`,
      });
      return;
    }
    if (this.state !== 'receiving') return;
    this.inbox?.end();
    this.finish();
  }

  /** The agent stopped reading the request body (its target answered or failed first). */
  onAgentCancel(): void {
    this.pump?.stop(new Error('the agent stopped reading the request body'));
  }

  onError(error: WireError): void {
    this.fail(error);
  }

  /** The caller aborted: tell the agent, fail the promise or the body with the signal's reason. */
  abort(reason: unknown): void {
    if (this.state === 'over') return;
    this.cancel();
    this.failWith(reason);
  }

  linkClosed(reason: string): void {
    this.fail({
      code: 'agent_disconnected',
      message: `agent ${this.options.agentId} disconnected during ${this.target} (${reason})`,
    });
  }

  private buildResponse(frame: ResponseFrame): Response {
    const headers = new Headers();
    for (const [name, value] of frame.headers) headers.append(name, value);
    const init = { status: frame.status, statusText: frame.statusText, headers };
    if (frame.status < 200) throw new Error(`an informational status ${frame.status}`);
    if (nullBodyStatuses.has(frame.status)) {
      return withUrl(new Response(null, init), this.request.url);
    }
    this.inbox = this.newInbox();
    return withUrl(new Response(this.inbox.body, init), this.request.url);
  }

  private newInbox(): StreamInbox {
    return new StreamInbox({
      grantCredit: (bytes) =>
        this.link.send({ type: 'stream.credit', streamId: this.streamId, bytes }),
      cancelled: () => {
        if (this.state === 'over') return;
        this.cancel();
        this.finish();
      },
    });
  }

  private sendBody(body: ReadableStream<Uint8Array>): void {
    const pump = new StreamPump(this.link, this.streamId, body);
    this.pump = pump;
    pump.run().then(
      (outcome) => {
        if (outcome.state === 'done' && this.state !== 'over' && !this.link.closed) {
          this.link.send({ type: 'stream.end', streamId: this.streamId });
        }
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.options.logger.warn(
          { agentId: this.options.agentId, streamId: this.streamId, request: this.target },
          'reading the request body failed; the request is cancelled',
        );
        this.cancel();
        this.fail({ code: 'request_body_failed', message: `${this.target}: ${message}` });
      },
    );
  }

  private cancel(): void {
    if (this.state !== 'over' && !this.link.closed) {
      this.link.send({ type: 'stream.cancel', streamId: this.streamId });
    }
  }

  private fail(error: WireError): void {
    this.failWith(tunnelNetworkError(error));
  }

  private failWith(error: unknown): void {
    if (this.state === 'over') return;
    if (this.state === 'waiting') this.rejectResponse(error);
    this.inbox?.fail(error);
    this.finish();
  }

  private finish(): void {
    if (this.state === 'over') return;
    this.state = 'over';
    this.pump?.stop(new Error(`${this.target} is over`));
    this.options.finished(this.streamId);
  }
}

/** A Response built by hand has an empty `url`; callers (and redirect handling) expect it set. */
function withUrl(response: Response, url: string): Response {
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
