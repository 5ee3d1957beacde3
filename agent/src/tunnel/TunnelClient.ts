import type { Logger } from '@plumbline/log';
import { type CloudFrame, type FrameHandler, maxFrameBytes, tunnelPath } from '@plumbline/proto';
import WebSocket from 'ws';
import type { AgentTimers, TimerHandle } from '../AgentTimers.ts';
import type { AgentMetrics } from '../health/AgentMetrics.ts';
import type { IdentityStore } from '../identity/IdentityStore.ts';
import { outboundOptions } from '../net/outboundOptions.ts';
import { Backoff } from './Backoff.ts';
import type { LinkEnd } from './LinkEnd.ts';
import { refusalAdvice } from './refusalAdvice.ts';
import { TunnelLink } from './TunnelLink.ts';
import type { TunnelParameters } from './TunnelParameters.ts';

const tcpKeepAliveMs = 30_000;

export interface TunnelClientOptions {
  identity: IdentityStore;
  readOnly: boolean;
  timers: AgentTimers;
  parameters: TunnelParameters;
  logger: Logger;
  metrics: AgentMetrics;
  caFile?: string | undefined;
  env: NodeJS.ProcessEnv;
  handlers: (link: TunnelLink) => FrameHandler<CloudFrame>[];
}

export interface LinkStatus {
  phase: 'connecting' | 'handshake' | 'connected' | 'waiting' | 'stopped';
  connectedSinceMs: number | undefined;
  rttMs: number | undefined;
  lastPongAtMs: number | undefined;
  clockOffsetMs: number | undefined;
  reconnects: number;
  lastEnd: (LinkEnd & { atMs: number }) | undefined;
  nextAttemptAtMs: number | undefined;
}

/**
 * Keeps one link to the cloud: dials, hands the socket to a TunnelLink, and when it ends waits
 * (full-jitter backoff, the cloud's goaway delay, or the long cap after a refusal) and dials
 * again, until stopped.
 */
export class TunnelClient {
  private readonly options: TunnelClientOptions;
  private readonly backoff: Backoff;
  private link: TunnelLink | undefined;
  private phase: LinkStatus['phase'] = 'waiting';
  private reconnects = 0;
  private lastEnd: LinkStatus['lastEnd'];
  private retryTimer: TimerHandle | undefined;
  private nextAttemptAtMs: number | undefined;
  private connectedWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private stopping = false;

  constructor(options: TunnelClientOptions) {
    this.options = options;
    const { parameters, timers } = options;
    this.backoff = new Backoff({
      baseMs: parameters.backoffBaseMs,
      factor: parameters.backoffFactor,
      capMs: parameters.backoffCapMs,
      random: () => timers.random(),
    });
  }

  start(): void {
    this.dial();
  }

  /** Settles once a link is authenticated (at once if one is); fails if the agent stops first. */
  whenConnected(): Promise<void> {
    if (this.phase === 'connected') return Promise.resolve();
    if (this.stopping) return Promise.reject(new Error('the agent stopped before it connected'));
    return new Promise((resolve, reject) => this.connectedWaiters.push({ resolve, reject }));
  }

  /** The authenticated link, if there is one now. */
  current(): TunnelLink | undefined {
    return this.phase === 'connected' ? this.link : undefined;
  }

  status(): LinkStatus {
    const link = this.phase === 'connected' ? this.link : undefined;
    return {
      phase: this.phase,
      connectedSinceMs: link?.authenticatedAtMs,
      rttMs: link?.rttMs,
      lastPongAtMs: link?.lastPongAtMs,
      clockOffsetMs: link?.clockOffsetMs ?? this.link?.clockOffsetMs,
      reconnects: this.reconnects,
      lastEnd: this.lastEnd,
      nextAttemptAtMs: this.nextAttemptAtMs,
    };
  }

  /** Closes the link with agent_stopping and dials no more. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const waiter of this.connectedWaiters.splice(0)) {
      waiter.reject(new Error('the agent stopped before it connected'));
    }
    if (this.retryTimer !== undefined) this.options.timers.clearTimeout(this.retryTimer);
    this.setPhase('stopped');
    const link = this.link;
    if (link === undefined) return;
    link.close('agent_stopping', 'the agent is stopping');
    await link.ended;
  }

  private dial(): void {
    if (this.stopping) return;
    const { identity, parameters, logger } = this.options;
    this.nextAttemptAtMs = undefined;
    const url = tunnelUrl(identity.current().cloudUrl);
    let ws: WebSocket;
    try {
      const { agent, ca, checkServerIdentity } = outboundOptions(url, this.options);
      ws = new WebSocket(url, {
        perMessageDeflate: false,
        maxPayload: maxFrameBytes,
        handshakeTimeout: parameters.upgradeTimeoutMs,
        ...(agent ? { agent } : {}),
        ...(ca ? { ca } : {}),
        ...(checkServerIdentity ? { checkServerIdentity } : {}),
      });
    } catch (error) {
      logger.error({ err: error, url: url.href }, 'cannot dial the cloud');
      this.scheduleRetry(this.backoff.nextDelayMs());
      return;
    }
    this.setPhase('connecting');
    ws.once('open', () => this.setPhase('handshake'));
    // Below the 30 s idle timeout of common NATs; pings cover the rest.
    ws.once('upgrade', (response) => response.socket.setKeepAlive(true, tcpKeepAliveMs));
    const link = new TunnelLink(ws, {
      identity,
      readOnly: this.options.readOnly,
      timers: this.options.timers,
      parameters,
      logger,
      handlers: this.options.handlers,
      onAuthenticated: (authenticated) => this.onAuthenticated(authenticated),
    });
    this.link = link;
    void link.ended.then((end) => this.onEnded(link, end));
  }

  private onAuthenticated(link: TunnelLink): void {
    const { logger } = this.options;
    this.setPhase('connected');
    logger.info(
      { connectionId: link.connectionId, version: link.version, clockOffsetMs: link.clockOffsetMs },
      'tunnel up: authenticated with the cloud',
    );
    for (const waiter of this.connectedWaiters.splice(0)) waiter.resolve();
  }

  private onEnded(link: TunnelLink, end: LinkEnd): void {
    const { timers, parameters, metrics, logger } = this.options;
    if (this.link === link) this.link = undefined;
    this.lastEnd = { ...end, atMs: timers.now() };
    if (this.stopping) return;
    this.reconnects++;
    metrics.reconnects.inc({ reason: end.reason ?? end.closedBy });
    const fields = {
      connectionId: link.connectionId,
      code: end.code,
      closeReason: end.reason,
      closedBy: end.closedBy,
      detail: end.detail,
    };

    if (end.reconnectInMs !== undefined) {
      this.backoff.reset();
      logger.info({ ...fields, delayMs: end.reconnectInMs }, 'tunnel closed on goaway');
      this.scheduleRetry(end.reconnectInMs);
      return;
    }
    const advice = end.closedBy === 'network' ? undefined : refusalAdvice(end.reason);
    if (advice !== undefined) {
      this.promotePendingKey(end);
      const delayMs = this.backoff.nextDelayMs(parameters.refusedBackoffCapMs);
      logger.error({ ...fields, delayMs }, `the cloud refused this agent: ${advice}`);
      this.scheduleRetry(delayMs);
      return;
    }
    const upMs = end.authenticatedAtMs === undefined ? 0 : timers.now() - end.authenticatedAtMs;
    if (upMs >= parameters.stableAfterMs) this.backoff.reset();
    const delayMs = this.backoff.nextDelayMs();
    logger.warn({ ...fields, upMs, delayMs }, 'tunnel down; reconnecting');
    this.scheduleRetry(delayMs);
  }

  /**
   * A rotation the cloud took but never confirmed (the link fell between) leaves the cloud
   * knowing only the new key: after a refusal of the current key, try the pending one.
   */
  private promotePendingKey(end: LinkEnd): void {
    const identity = this.options.identity.current();
    const pending = identity.pendingKeyPair;
    if (
      pending === undefined ||
      (end.reason !== 'unknown_agent' && end.reason !== 'bad_signature')
    ) {
      return;
    }
    // Swapped, not dropped: if the cloud never took the new key, the next refusal swaps back.
    this.options.identity.replace({
      ...identity,
      keyPair: pending,
      pendingKeyPair: identity.keyPair,
    });
    this.options.logger.warn(
      { newPublicKey: pending.publicKey },
      'the current key was refused and a rotation was pending: trying the other key',
    );
  }

  private scheduleRetry(delayMs: number): void {
    const { timers } = this.options;
    this.setPhase('waiting');
    this.nextAttemptAtMs = timers.now() + delayMs;
    this.retryTimer = timers.setTimeout(() => {
      this.retryTimer = undefined;
      this.dial();
    }, delayMs);
  }

  private setPhase(phase: LinkStatus['phase']): void {
    if (this.stopping && phase !== 'stopped') return;
    this.phase = phase;
    this.options.metrics.setPhase(phase);
  }
}

/** `ws(s)://<cloud>/api/v1/tunnel`, keeping any path prefix of the cloud URL. */
export function tunnelUrl(cloudUrl: string): URL {
  const url = new URL(`${cloudUrl.replace(/\/+$/, '')}${tunnelPath}`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}
