import { z } from 'zod';
import { roleSchema } from '../auth/Role.ts';

/**
 * What the store accepts, shared by the API and the command line so that both refuse the same
 * things with the same words.
 */

export const tenantSlugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'a tenant slug is 1 to 40 lowercase letters, digits and inner hyphens, e.g. "acme-net"',
  );

export const displayNameSchema = z.string().trim().min(1).max(200);

export const emailSchema = z
  .email('expected an email address such as noc@example.com')
  .max(254)
  .transform((email) => email.toLowerCase());

/** Long enough to resist guessing; the upper bound keeps scrypt's input small. */
export const passwordSchema = z.string().min(12, 'a password has at least 12 characters').max(1024);

export const tokenNameSchema = z.string().trim().min(1).max(100);

export const newTenantSchema = z.object({ slug: tenantSlugSchema, displayName: displayNameSchema });

export const newUserSchema = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  password: passwordSchema.optional(),
});

export const newMemberSchema = z.object({
  email: emailSchema,
  displayName: displayNameSchema.optional(),
  role: roleSchema,
});

export const newTokenSchema = z.object({
  userId: z.uuid(),
  name: tokenNameSchema,
  /** Days until the token expires; absent: it does not expire. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export type NewTenant = z.infer<typeof newTenantSchema>;
export type NewUser = z.input<typeof newUserSchema>;
export type NewMember = z.input<typeof newMemberSchema>;
export type NewToken = z.infer<typeof newTokenSchema>;
