import { z } from 'zod';

/**
 * A member's role in one tenant. Each role may do everything the roles after it may:
 * admins configure, approvers decide on proposals, viewers read.
 */
export const roleSchema = z.enum(['admin', 'approver', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

const rank: Record<Role, number> = { viewer: 0, approver: 1, admin: 2 };

export function roleAllows(held: Role, needed: Role): boolean {
  return rank[held] >= rank[needed];
}
