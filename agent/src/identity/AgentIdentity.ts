import { z } from 'zod';

const keyPairSchema = z.object({
  publicKey: z.string().min(1).max(128),
  secretKey: z.string().min(1).max(256),
});

/** What `enroll` writes to `<state-dir>/identity.json` (0600) and `run` reads. */
export const agentIdentitySchema = z.object({
  version: z.literal(1),
  agentId: z.string().min(1).max(128),
  tenantId: z.string().min(1).max(128),
  tenantSlug: z.string().min(1).max(128),
  cloudUrl: z.string().min(1).max(2048),
  name: z.string().min(1).max(128),
  keyPair: keyPairSchema,
  /** The tenant's job-signing key, pinned at enrollment: mutating jobs must verify against it. */
  cloudSigningPublicKey: z.string().min(1).max(128),
  enrolledAtMs: z.number().int().nonnegative(),
  /**
   * A key sent in `key.rotate` and not yet confirmed by `key.rotated`. Kept on disk so that an
   * agent that dies between the cloud's switch and the confirmation can still sign in.
   */
  pendingKeyPair: keyPairSchema.optional(),
});

export type AgentIdentity = z.infer<typeof agentIdentitySchema>;
