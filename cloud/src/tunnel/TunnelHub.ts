import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  closeReasons,
  type EnrollRequest,
  type EnrollResponse,
  type FrameOfType,
  type JobKind,
  maxFrameBytes,
  type RotationPayload,
  tunnelPath,
  verifyPayload,
} from '@plumbline/proto';
import type { Registry } from 'prom-client';
import { WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../errors/AppError.ts';
import type { Sealer } from '../secrets/Sealer.ts';
import type { AgentRecord, AgentStore } from '../store/AgentStore.ts';
import type { Actor } from '../store/records.ts';
import { AgentConnection } from './AgentConnection.ts';
import { createTunnelMetrics, type TunnelMetrics } from './createTunnelMetrics.ts';
import { httpTargetsFrame } from './http/httpTargetsFrame.ts';
import { TunnelHttpClient } from './http/TunnelHttpClient.ts';
import { JobOutbox } from './JobOutbox.ts';
import { type HandshakeContext, type HandshakeDecision, runHandshake } from './runHandshake.ts';
import { TunnelError } from './TunnelError.ts';
import { defaultTunnelSettings, type TunnelSettings } from './TunnelSettings.ts';
import { type AuthFrame, verifyAuth } from './verifyAuth.ts';

export interface TunnelHubOptions {
  agents: AgentStore;
  /** Opens the tenants' job-signing keys. */
  sealer: Sealer;
  logger: Logger;
  settings?: Partial<TunnelSettings>;
  /** Milliseconds since the epoch; the store's clock by default. */
  now?: () => number;
  /** In [0, 1); for ping jitter and goaway spread. */
  random?: () => number;
  /** The base URLs the agent may forward HTTP to (the tenant's integrations through it). */
  httpTargets?: (tenantId: string, agentId: string) => Promise<string[]>;
  /** Kinds whose results are checked against their schema even after a restart. */
  jobKinds?: readonly JobKind[];
  /** Where the hub's metrics go; none when absent. */
  metricsRegistry?: Registry;
}

/** What the API shows about an agent, joining the stored record with its live connection. */
export interface AgentStatus extends AgentRecord {
  state: 'online' | 'offline' | 'revoked';
  rttMs: number | null;
}

/**
 * The cloud end of the federation tunnel: accepts agents' WebSockets on `tunnelPath`, proves
 * who they are from their key alone, keeps one live connection per agent, and carries jobs
 * (`jobs`), HTTP (`fetchVia`) and key rotation over it.
 */
export class TunnelHub {
  readonly jobs: JobOutbox;
  readonly settings: TunnelSettings;
  private readonly options: TunnelHubOptions;
  private readonly agents: AgentStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, AgentConnection>();
  private readonly httpClients = new WeakMap<AgentConnection, TunnelHttpClient>();
  private readonly metrics: TunnelMetrics | undefined;
  private readonly pending = new Set<WebSocket>();
  private lastTargetsAtMs = 0;
  private draining = false;

  constructor(options: TunnelHubOptions) {
    this.options = options;
    this.agents = options.agents;
    this.log = options.logger;
    this.settings = { ...defaultTunnelSettings, ...options.settings };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    // Known shortcoming: ws refuses a single message above maxPayload itself, before the
    // FrameReader sees it, and closes with the standard 1009 (message too big), not the
    // protocol's frame_too_large 4413; 4413 comes only from chunks that reassemble too large.
    // Raising maxPayload to let the reader answer would buffer larger messages in memory.
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: maxFrameBytes,
    });
    this.jobs = new JobOutbox({
      agents: this.agents,
      sealer: options.sealer,
      logger: this.log,
      settings: this.settings,
      now: this.now,
      connectionOf: (agentId) => this.connections.get(agentId),
      kinds: options.jobKinds ?? [],
    });
    this.metrics =
      options.metricsRegistry &&
      createTunnelMetrics(options.metricsRegistry, {
        connectedAgents: () => this.connections.size,
        jobsByState: () => this.agents.countJobsByState(),
      });
  }

  /**
   * Takes WebSocket upgrades for `tunnelPath` on `server`; other upgrade paths get 404. Marks
   * agents left "connected" by a previous process offline and arms the job deadlines.
   */
  async attach(server: Server): Promise<void> {
    await this.agents.markAllDisconnected();
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    this.jobs.scheduleDeadlines();
  }

  // ---- enrollment, revocation, rotation ----

  /** Spends an enrollment token on the agent's public key and returns what it must pin. */
  async enroll(request: EnrollRequest): Promise<EnrollResponse> {
    if (Buffer.from(request.publicKey, 'base64').length !== 32) {
      throw new AppError('bad_request', 'body.publicKey: expected a base64 ed25519 public key');
    }
    const { agent, tenantSlug } = await this.agents.enroll(request);
    const key = await this.agents.signingKeyOf(agent.tenantId, this.options.sealer);
    this.log.info(
      { tenantId: agent.tenantId, agentId: agent.id, name: agent.name },
      'agent enrolled',
    );
    return {
      agentId: agent.id,
      tenantId: agent.tenantId,
      tenantSlug,
      cloudSigningPublicKey: key.publicKey,
    };
  }

  /**
   * Revokes the agent in the store (its unfinished jobs end `cancelled`) and closes its live
   * connection with `revoked`.
   */
  async revoke(tenantId: string, agentId: string, actor: Actor): Promise<AgentRecord> {
    const { agent, cancelledJobIds } = await this.agents.revokeAgent(tenantId, agentId, actor);
    const connection = this.connectionIn(tenantId, agentId);
    connection?.close('revoked', `agent revoked by ${actor.label}`);
    await this.jobs.settleWaiters(tenantId, cancelledJobIds);
    return agent;
  }

  /**
   * Records a rotation request and asks the agent now when it is connected (else when it next
   * connects). Returns whether the request reached a live connection.
   */
  async requestKeyRotation(
    tenantId: string,
    agentId: string,
    actor: Actor,
  ): Promise<{ agent: AgentRecord; delivered: boolean }> {
    const agent = await this.agents.requestRotation(tenantId, agentId, actor);
    const connection = this.connectionIn(tenantId, agentId);
    connection?.send({ type: 'key.rotate.request' });
    return { agent, delivered: connection !== undefined };
  }

  // ---- what the API and features use ----

  /** The stored agents of a tenant with their live state. */
  async listAgents(tenantId: string): Promise<AgentStatus[]> {
    const agents = await this.agents.listAgents(tenantId);
    return agents.map((agent) => this.statusOf(agent));
  }

  async getAgent(tenantId: string, agentId: string): Promise<AgentStatus> {
    return this.statusOf(await this.agents.getAgent(tenantId, agentId));
  }

  /**
   * The fetch API through the agent's current connection, looked up at each call. Rejects with
   * `agent_offline` naming the agent when it has no connection here or belongs to another
   * tenant (the two are not told apart).
   */
  fetchVia(tenantId: string, agentId: string): typeof fetch {
    return (input, init) => {
      const connection = this.connectionIn(tenantId, agentId);
      const client = connection && this.httpClients.get(connection);
      if (!client) {
        return Promise.reject(
          new TunnelError(
            'agent_offline',
            `agent ${agentId} has no tunnel connection to this cloud; check that it runs and ` +
              'can reach the cloud (GET .../agents/:agentId shows its last contact)',
          ),
        );
      }
      return client.fetch(input, init);
    };
  }

  /** Sends the agent a fresh signed list of HTTP targets, when it is connected. */
  async refreshHttpTargets(tenantId: string, agentId: string): Promise<boolean> {
    const connection = this.connectionIn(tenantId, agentId);
    if (!connection) return false;
    await this.sendHttpTargets(connection);
    return true;
  }

  /** The agent's live connection, only if it belongs to `tenantId`. */
  connectionIn(tenantId: string, agentId: string): AgentConnection | undefined {
    const connection = this.connections.get(agentId);
    return connection?.identity.tenantId === tenantId ? connection : undefined;
  }

  get connectedCount(): number {
    return this.connections.size;
  }

  // ---- lifecycle ----

  /**
   * Tells every connected agent to reconnect after a random delay in [0, spreadMs), so a
   * rolling restart does not bring them all back at once. Connections stay open.
   */
  goawayAll(options: { spreadMs: number; reason?: string }): void {
    for (const connection of this.connections.values()) {
      connection.send({
        type: 'goaway',
        reconnectInMs: Math.floor(this.random() * options.spreadMs),
        reason: options.reason ?? 'the cloud is restarting',
      });
    }
  }

  /**
   * Shutdown: refuses new connections, sends `goaway` to every agent, closes each with
   * `going_away`, and waits (up to `drainGraceMs`) for the sockets to close before returning,
   * so the store can close after.
   */
  async drain(): Promise<void> {
    this.draining = true;
    this.jobs.stop();
    this.goawayAll({ spreadMs: this.settings.drainSpreadMs, reason: 'the cloud is shutting down' });
    const sockets = [...this.wss.clients];
    const closed = Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) resolve();
            else ws.once('close', () => resolve());
          }),
      ),
    );
    for (const connection of [...this.connections.values()]) {
      connection.close('going_away', 'the cloud is shutting down');
    }
    for (const ws of this.pending) ws.close(closeReasons.going_away, 'going_away');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.settings.drainGraceMs);
    });
    await Promise.race([closed, grace]);
    clearTimeout(timer);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.log.info({ agents: sockets.length }, 'tunnel drained');
  }

  // ---- the handshake ----

  /**
   * Known shortcoming: no admission control. After a restart every agent's handshake (one
   * ed25519 verification and a few store reads each) is taken as it comes; the spread `goaway`
   * delays of the drain are what keeps that herd small.
   */
  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== tunnelPath) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const address = request.socket.remoteAddress ?? null;
      if (this.draining) {
        ws.close(closeReasons.going_away, 'going_away');
        return;
      }
      this.handshake(ws, address);
    });
  }

  private handshake(ws: WebSocket, address: string | null): void {
    this.pending.add(ws);
    runHandshake({
      ws,
      address,
      timeoutMs: this.settings.handshakeTimeoutMs,
      now: this.now,
      logger: this.log,
      decide: (auth, context) => this.authenticate(ws, auth, context),
      onRefused: (reason) => this.metrics?.handshakeRefusals.inc({ reason }),
      onSettled: () => this.pending.delete(ws),
    });
  }

  private async authenticate(
    ws: WebSocket,
    auth: AuthFrame,
    context: HandshakeContext,
  ): Promise<HandshakeDecision> {
    const verdict = await verifyAuth(auth, context, this.agents);
    if (!verdict.ok) return verdict;
    if (ws.readyState !== WebSocket.OPEN) {
      return { ok: false, reason: 'internal_error', message: 'the socket closed during auth' };
    }
    const { agent, key } = verdict;

    const connection = new AgentConnection({
      ws,
      reader: context.reader,
      identity: {
        agentId: agent.id,
        tenantId: agent.tenantId,
        agentName: agent.name,
        keyId: key.keyId,
        publicKey: key.publicKey,
        connectionId: context.connectionId,
        address: context.address,
      },
      settings: this.settings,
      now: this.now,
      random: this.random,
      logger: this.log,
      onFrame: (from, frame) => this.onFrame(from, frame),
      onClose: (from, reason) => this.onClose(from, reason),
    });
    const http = new TunnelHttpClient(connection, {
      logger: this.log.child({ agentId: agent.id, tenantId: agent.tenantId }),
      agentId: agent.id,
    });
    connection.addHandler(http);
    this.httpClients.set(connection, http);

    const previous = this.connections.get(agent.id);
    this.connections.set(agent.id, connection);
    previous?.close('replaced', `agent connected again (connection ${context.connectionId})`);
    // A revocation that landed while the auth was checked found no connection to close.
    if ((await this.agents.getAgent(agent.tenantId, agent.id)).revokedAt !== null) {
      connection.close('revoked', 'the agent was revoked during its handshake');
      return { ok: true, connection };
    }

    await this.agents.markConnected(agent.tenantId, agent.id, {
      address: context.address,
      version: auth.agentVersion,
      readOnly: auth.readOnly,
    });
    connection.send({
      type: 'welcome',
      version: verdict.version,
      agentId: agent.id,
      tenantId: agent.tenantId,
      pingIntervalMs: this.settings.pingIntervalMs,
      deadPeerMs: this.settings.deadPeerMs,
    });
    this.log.info(
      {
        tenantId: agent.tenantId,
        agentId: agent.id,
        connectionId: context.connectionId,
        keyId: key.keyId,
        address: context.address,
        agentVersion: auth.agentVersion,
        readOnly: auth.readOnly,
      },
      'agent connected',
    );
    void this.afterWelcome(connection, agent);
    return { ok: true, connection };
  }

  /** Rotation bookkeeping, HTTP targets, a pending rotation request and the outbox. */
  private async afterWelcome(connection: AgentConnection, agent: AgentRecord): Promise<void> {
    const { tenantId, agentId, keyId } = connection.identity;
    try {
      const retired = await this.agents.retireKeysOlderThan(tenantId, agentId, keyId);
      if (retired > 0)
        this.log.info({ tenantId, agentId, keyId, retired }, 'old agent key retired');
      await this.sendHttpTargets(connection).catch((error: unknown) => {
        // Without targets the agent forwards no HTTP; jobs and the link itself still work.
        this.log.error({ err: error, tenantId, agentId }, 'sending HTTP targets failed');
      });
      if (agent.rotationRequestedAt !== null) connection.send({ type: 'key.rotate.request' });
      await this.jobs.deliverPending(connection, agent.lastSeenAt);
    } catch (error) {
      this.log.error({ err: error, tenantId, agentId }, 'setting up the agent connection failed');
      connection.close('internal_error', 'the cloud failed while setting up the connection');
    }
  }

  private async sendHttpTargets(connection: AgentConnection): Promise<void> {
    if (!this.options.httpTargets || connection.closed) return;
    const { tenantId, agentId } = connection.identity;
    const baseUrls = await this.options.httpTargets(tenantId, agentId);
    const key = await this.agents.signingKeyOf(tenantId, this.options.sealer);
    this.lastTargetsAtMs = Math.max(this.now(), this.lastTargetsAtMs + 1);
    connection.send(
      httpTargetsFrame({
        agentId,
        tenantId,
        baseUrls,
        signingSecretKey: key.secretKey,
        nowMs: this.lastTargetsAtMs,
      }),
    );
  }

  // ---- frames after the handshake ----

  private onFrame(connection: AgentConnection, frame: AgentFrame): void {
    const { tenantId, agentId } = connection.identity;
    const handled =
      frame.type === 'key.rotate'
        ? this.rotateKey(connection, frame).then(() => true)
        : this.jobs.handleFrame(connection, frame);
    handled.then(
      (known) => {
        if (!known) this.log.warn({ tenantId, agentId, type: frame.type }, 'frame nobody handles');
      },
      (error: unknown) => {
        this.log.error({ err: error, tenantId, agentId, type: frame.type }, 'frame failed');
      },
    );
  }

  /**
   * The agent proves it holds both keys: the current one (the connection's) signs, and so does
   * the new one. The new key joins the old; the old is retired when the new one authenticates.
   */
  private async rotateKey(
    connection: AgentConnection,
    frame: FrameOfType<AgentFrame, 'key.rotate'>,
  ): Promise<void> {
    const { tenantId, agentId, connectionId, publicKey } = connection.identity;
    const payload: RotationPayload = {
      purpose: 'plumbline.rotate.v1',
      agentId,
      connectionId,
      newPublicKey: frame.newPublicKey,
    };
    const refuse = (code: string, message: string) => {
      this.log.warn({ tenantId, agentId, code, message }, 'key rotation refused');
      connection.send({ type: 'key.rotate.refused', error: { code, message } });
    };
    if (!verifyPayload(payload, frame.oldKeySignature, publicKey)) {
      return refuse('bad_signature', 'the current key did not sign this rotation');
    }
    if (!verifyPayload(payload, frame.newKeySignature, frame.newPublicKey)) {
      return refuse('bad_signature', 'the new key did not sign this rotation');
    }
    try {
      const key = await this.agents.addKey(tenantId, agentId, frame.newPublicKey);
      this.log.info({ tenantId, agentId, keyId: key.keyId }, 'agent key rotated');
      connection.send({ type: 'key.rotated', newPublicKey: key.publicKey });
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') {
        return refuse('conflict', error.message);
      }
      throw error;
    }
  }

  private onClose(connection: AgentConnection, reason: string): void {
    const { tenantId, agentId } = connection.identity;
    if (this.connections.get(agentId) !== connection) return;
    this.connections.delete(agentId);
    this.log.info({ tenantId, agentId, reason }, 'agent disconnected');
    const { lastFrameAtMs } = connection.liveness();
    this.agents.markDisconnected(tenantId, agentId, lastFrameAtMs).catch((error: unknown) => {
      // The store may already be closed during shutdown; the next start marks everyone offline.
      this.log.debug({ err: error, tenantId, agentId }, 'could not record the disconnect');
    });
  }

  private statusOf(agent: AgentRecord): AgentStatus {
    const connection = this.connectionIn(agent.tenantId, agent.id);
    const live = connection?.liveness();
    return {
      ...agent,
      state: agent.revokedAt !== null ? 'revoked' : connection ? 'online' : 'offline',
      connectedSince: connection ? connection.connectedAtMs : null,
      lastSeenAt: live ? live.lastFrameAtMs : agent.lastSeenAt,
      rttMs: live?.rttMs ?? null,
    };
  }
}
