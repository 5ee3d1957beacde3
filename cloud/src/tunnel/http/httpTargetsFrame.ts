import { type CloudFrame, signPayload, type TargetsSigningPayload } from '@plumbline/proto';

/**
 * The signed `http.targets` frame: the only base URLs this agent may forward HTTP requests to.
 * Signed with the tenant's cloud key, which the agent pinned at enrollment; the agent drops a
 * set older than the one it holds, so `nowMs` must grow from one set to the next.
 */
export function httpTargetsFrame(input: {
  agentId: string;
  tenantId: string;
  baseUrls: string[];
  signingSecretKey: string;
  nowMs: number;
}): CloudFrame {
  const payload: TargetsSigningPayload = {
    purpose: 'plumbline.targets.v1',
    agentId: input.agentId,
    tenantId: input.tenantId,
    baseUrls: [...input.baseUrls],
    issuedAtMs: input.nowMs,
  };
  return {
    type: 'http.targets',
    baseUrls: payload.baseUrls,
    issuedAtMs: payload.issuedAtMs,
    signature: signPayload(payload, input.signingSecretKey),
  };
}
