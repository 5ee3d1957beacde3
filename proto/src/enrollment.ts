import { z } from 'zod';

/** Where the agent posts its enrollment. */
export const enrollPath = '/api/v1/agents/enroll';

/** Where the agent opens its WebSocket. */
export const tunnelPath = '/api/v1/tunnel';

/** Agent → cloud, over plain HTTPS, once. */
export const enrollRequestSchema = z.object({
  token: z.string().min(1).max(256),
  publicKey: z.string().min(1).max(128),
  name: z.string().min(1).max(128),
  agentVersion: z.string().max(64),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  agentId: z.string().min(1).max(128),
  tenantId: z.string().min(1).max(128),
  tenantSlug: z.string().min(1).max(128),
  /** The tenant's job-signing key; the agent pins it and refuses jobs signed otherwise. */
  cloudSigningPublicKey: z.string().min(1).max(128),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
