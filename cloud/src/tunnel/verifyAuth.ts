import {
  type AgentFrame,
  authPayloadOf,
  type CloseReason,
  type FrameOfType,
  negotiateVersion,
  supportedProtocolVersions,
  verifyPayload,
} from '@plumbline/proto';
import type { AgentKeyRecord, AgentRecord, AgentStore } from '../store/AgentStore.ts';

export type AuthFrame = FrameOfType<AgentFrame, 'auth'>;

export type AuthVerdict =
  | { ok: true; agent: AgentRecord; key: AgentKeyRecord; version: number }
  | { ok: false; reason: CloseReason; message: string };

/**
 * Decides an `auth` frame for the connection that sent `hello` with `challenge` and
 * `connectionId`. The agent and tenant come from the key alone; what the frame claims is only
 * compared with them. Checks run so that nothing about an agent is told to someone who cannot
 * sign for its key: the signature is verified before revocation and tenant are looked at.
 * Reads the store, never writes it.
 */
export async function verifyAuth(
  auth: AuthFrame,
  expected: { challenge: string; connectionId: string },
  agents: AgentStore,
): Promise<AuthVerdict> {
  if (negotiateVersion(supportedProtocolVersions, [auth.version]) === undefined) {
    return refuse(
      'version_unsupported',
      `protocol version ${auth.version} is not one this cloud speaks ` +
        `(${supportedProtocolVersions.join(', ')}); upgrade the agent`,
    );
  }
  if (auth.challenge !== expected.challenge || auth.connectionId !== expected.connectionId) {
    return refuse(
      'replayed',
      "the auth answers a challenge or connection other than this connection's hello",
    );
  }

  const found = await agents.findKey(auth.publicKey);
  if (!found) {
    return refuse('unknown_agent', 'the public key belongs to no enrolled agent; enroll first');
  }
  const { agent, key } = found;

  if (!verifyPayload(authPayloadOf(auth), auth.signature, auth.publicKey)) {
    return refuse('bad_signature', 'the signature does not verify for this challenge and key');
  }

  if (agent.revokedAt !== null) {
    return refuse('revoked', `agent ${agent.id} was revoked; enroll it again`);
  }
  if (key.retiredAt !== null) {
    return refuse(
      'unknown_agent',
      `key ${key.keyId} of agent ${agent.id} was retired by a rotation; use the newer key`,
    );
  }
  if (auth.agentId !== agent.id) {
    return refuse('unknown_agent', `the key belongs to another agent than ${auth.agentId}`);
  }
  if (auth.tenantId !== agent.tenantId) {
    return refuse('wrong_tenant', `the key is valid but agent ${agent.id} claimed another tenant`);
  }
  return { ok: true, agent, key, version: auth.version };
}

function refuse(reason: CloseReason, message: string): AuthVerdict {
  return { ok: false, reason, message };
}
