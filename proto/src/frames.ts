import { z } from 'zod';

const id = z.string().min(1).max(128);
const base64Key = z.string().min(1).max(128);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const milliseconds = z
  .number()
  .int()
  .nonnegative()
  .max(7 * 24 * 3600 * 1000);
const shortText = z.string().max(2000);

/** A typed failure that crosses the wire: a stable code and a message a person can act on. */
export const wireErrorSchema = z.object({
  code: z.string().min(1).max(64),
  message: z.string().max(8000),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** A job as the cloud sends it. `params` is checked against the kind's schema by the agent. */
export const jobEnvelopeSchema = z.object({
  id,
  /** Per-agent, increasing: the order the cloud created jobs in. */
  seq: count,
  kind: z.string().min(1).max(64),
  params: z.unknown(),
  /** How long the agent may work on it, counted from when it receives it. */
  timeoutMs: milliseconds.min(1),
  issuedAtMs: count,
  /** ed25519 over the job's signing payload with the tenant's cloud key; required to mutate. */
  signature: z.string().max(128).optional(),
});
export type JobEnvelope = z.infer<typeof jobEnvelopeSchema>;

export const jobOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: wireErrorSchema }),
]);
export type JobOutcome = z.infer<typeof jobOutcomeSchema>;

const headerList = z.array(z.tuple([z.string().max(256), z.string().max(8192)])).max(200);

// ---- the handshake ----

/** Cloud → agent, first frame on every connection. */
export const helloFrame = z.object({
  type: z.literal('hello'),
  versions: z.array(z.number().int().positive()).min(1).max(16),
  connectionId: id,
  /** 32 random bytes, base64: signed by the agent, never accepted twice. */
  challenge: z.string().min(1).max(64),
  /** The cloud's clock, so the agent can report its offset; auth itself does not use clocks. */
  serverTimeMs: count,
});

/** Agent → cloud: the answer to `hello`. */
export const authFrame = z.object({
  type: z.literal('auth'),
  version: z.number().int().positive(),
  agentId: id,
  tenantId: id,
  publicKey: base64Key,
  challenge: z.string().min(1).max(64),
  connectionId: id,
  signature: z.string().min(1).max(128),
  agentVersion: z.string().max(64),
  readOnly: z.boolean(),
});

/** Cloud → agent: authenticated. */
export const welcomeFrame = z.object({
  type: z.literal('welcome'),
  version: z.number().int().positive(),
  agentId: id,
  tenantId: id,
  pingIntervalMs: milliseconds.min(1),
  deadPeerMs: milliseconds.min(1),
});

// ---- liveness and lifecycle ----

export const pingFrame = z.object({ type: z.literal('ping'), sentAtMs: count });
export const pongFrame = z.object({ type: z.literal('pong'), pingSentAtMs: count });

/** Cloud → agent: close now and reconnect after `reconnectInMs` (spread out by the cloud). */
export const goawayFrame = z.object({
  type: z.literal('goaway'),
  reconnectInMs: milliseconds,
  reason: shortText,
});

// ---- key rotation ----

/** Cloud → agent: please rotate your key. */
export const keyRotateRequestFrame = z.object({ type: z.literal('key.rotate.request') });

/** Agent → cloud: a new key, signed by the old key (proof of identity) and the new (possession). */
export const keyRotateFrame = z.object({
  type: z.literal('key.rotate'),
  newPublicKey: base64Key,
  oldKeySignature: z.string().min(1).max(128),
  newKeySignature: z.string().min(1).max(128),
});

/** Cloud → agent: the new key is registered; use it from the next connection on. */
export const keyRotatedFrame = z.object({
  type: z.literal('key.rotated'),
  newPublicKey: base64Key,
});

export const keyRotateRefusedFrame = z.object({
  type: z.literal('key.rotate.refused'),
  error: wireErrorSchema,
});

// ---- jobs ----

export const jobFrame = z.object({ type: z.literal('job'), job: jobEnvelopeSchema });
export const jobCancelFrame = z.object({
  type: z.literal('job.cancel'),
  jobId: id,
  reason: shortText,
});
export const jobAckFrame = z.object({
  type: z.literal('job.ack'),
  jobId: id,
  state: z.enum(['received', 'started']),
});
export const jobProgressFrame = z.object({
  type: z.literal('job.progress'),
  jobId: id,
  done: count,
  total: count.optional(),
  message: shortText.optional(),
});
export const jobResultFrame = z.object({
  type: z.literal('job.result'),
  jobId: id,
  outcome: jobOutcomeSchema,
  /** True when the agent answered from its journal: the job had already run. */
  fromJournal: z.boolean(),
});

// ---- HTTP through the agent ----

/** Cloud → agent. When `hasBody`, the body follows as stream data on `streamId`. */
export const httpRequestFrame = z.object({
  type: z.literal('http.request'),
  streamId: z.number().int().positive().max(0xffff_ffff),
  method: z.string().min(1).max(16),
  url: z.string().min(1).max(8192),
  headers: headerList,
  hasBody: z.boolean(),
  timeoutMs: milliseconds.min(1),
});

/**
 * Cloud → agent: the only base URLs the agent may forward HTTP requests to (the tenant's
 * Nautobot integrations reachable through this agent). Signed with the tenant's cloud key, so
 * nobody between the two can widen it; the agent is never an open proxy.
 */
export const httpTargetsFrame = z.object({
  type: z.literal('http.targets'),
  baseUrls: z.array(z.string().min(1).max(2048)).max(64),
  issuedAtMs: count,
  signature: z.string().min(1).max(128),
});

/** Agent → cloud. The body follows as stream data on `streamId`, then `stream.end`. */
export const httpResponseFrame = z.object({
  type: z.literal('http.response'),
  streamId: z.number().int().positive().max(0xffff_ffff),
  status: z.number().int().min(100).max(599),
  statusText: z.string().max(256),
  headers: headerList,
});

const streamId = z.number().int().positive().max(0xffff_ffff);

/** The receiver of a stream's data allows `bytes` more to be sent. */
export const streamCreditFrame = z.object({
  type: z.literal('stream.credit'),
  streamId,
  bytes: z
    .number()
    .int()
    .positive()
    .max(64 * 1024 * 1024),
});
export const streamEndFrame = z.object({ type: z.literal('stream.end'), streamId });
/** The sending side failed; the stream is over. */
export const streamErrorFrame = z.object({
  type: z.literal('stream.error'),
  streamId,
  error: wireErrorSchema,
});
/** The receiving side gave up; the sender stops and forgets the stream. */
export const streamCancelFrame = z.object({ type: z.literal('stream.cancel'), streamId });

// ---- chunking ----

/** One piece of a text frame too large for one message; see `chunking.ts`. */
export const chunkFrame = z.object({
  type: z.literal('chunk'),
  chunkId: id,
  index: z.number().int().nonnegative().max(100_000),
  count: z.number().int().positive().max(100_000),
  text: z.string(),
});

export const cloudFrameSchema = z.discriminatedUnion('type', [
  helloFrame,
  welcomeFrame,
  pingFrame,
  pongFrame,
  goawayFrame,
  keyRotateRequestFrame,
  keyRotatedFrame,
  keyRotateRefusedFrame,
  jobFrame,
  jobCancelFrame,
  httpTargetsFrame,
  httpRequestFrame,
  streamCreditFrame,
  streamEndFrame,
  streamErrorFrame,
  streamCancelFrame,
  chunkFrame,
]);

export const agentFrameSchema = z.discriminatedUnion('type', [
  authFrame,
  pingFrame,
  pongFrame,
  keyRotateFrame,
  jobAckFrame,
  jobProgressFrame,
  jobResultFrame,
  httpResponseFrame,
  streamCreditFrame,
  streamEndFrame,
  streamErrorFrame,
  streamCancelFrame,
  chunkFrame,
]);

/** A frame the cloud sends to an agent. */
export type CloudFrame = z.infer<typeof cloudFrameSchema>;
/** A frame an agent sends to the cloud. */
export type AgentFrame = z.infer<typeof agentFrameSchema>;

export type FrameOfType<F extends { type: string }, T extends F['type']> = Extract<F, { type: T }>;
