import { z } from 'zod';
import { type Role, roleAllows, roleSchema } from '../../auth/Role.ts';
import { AppError } from '../../errors/AppError.ts';
import { displayNameSchema, emailSchema, tokenNameSchema } from '../../store/inputs.ts';
import type { Actor } from '../../store/records.ts';
import { pathParam } from '../pathParam.ts';
import { readJson } from '../readJson.ts';
import type { TenantRouter } from '../TenantRouter.ts';
import { auditView, memberView, tenantView, tokenView } from '../views.ts';

const renameBody = z.strictObject({ displayName: displayNameSchema });
const addMemberBody = z.strictObject({
  email: emailSchema,
  displayName: displayNameSchema.optional(),
  role: roleSchema,
});
const changeRoleBody = z.strictObject({ role: roleSchema });
const createTokenBody = z.strictObject({
  name: tokenNameSchema,
  /** Whose token; the caller's own when absent. */
  userId: z.uuid().optional(),
  /** Days until it expires; absent: never. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

/** Tenant, members, API tokens and the audit log: the routes inside a tenant in the core. */
export function addTenantRoutes(router: TenantRouter): void {
  router
    .add('GET', '', 'viewer', async (c) => {
      return c.json({ tenant: tenantView(c.var.tenant), role: c.var.role });
    })
    .add('PATCH', '', 'admin', async (c) => {
      const { displayName } = await readJson(c, renameBody);
      const tenant = await c.var.tenantStore.renameTenant(displayName, c.var.actor);
      return c.json({ tenant: tenantView(tenant) });
    })
    .add('GET', '/members', 'viewer', async (c) => {
      const members = await c.var.tenantStore.listMembers();
      return c.json({ members: members.map(memberView) });
    })
    .add('POST', '/members', 'admin', async (c) => {
      const body = await readJson(c, addMemberBody);
      const member = await c.var.tenantStore.addMember(body, c.var.actor);
      return c.json({ member: memberView(member) }, 201);
    })
    .add('GET', '/members/:userId', 'viewer', async (c) => {
      const member = await c.var.tenantStore.getMember(pathParam(c, 'userId'));
      return c.json({ member: memberView(member) });
    })
    .add('PATCH', '/members/:userId', 'admin', async (c) => {
      const { role } = await readJson(c, changeRoleBody);
      const member = await c.var.tenantStore.setMemberRole(
        pathParam(c, 'userId'),
        role,
        c.var.actor,
      );
      return c.json({ member: memberView(member) });
    })
    .add('DELETE', '/members/:userId', 'admin', async (c) => {
      await c.var.tenantStore.removeMember(pathParam(c, 'userId'), c.var.actor);
      return c.body(null, 204);
    })
    .add('GET', '/tokens', 'viewer', async (c) => {
      const tokens = await c.var.tenantStore.listTokens(ownTokensUnlessAdmin(c.var));
      return c.json({ tokens: tokens.map(tokenView) });
    })
    .add('POST', '/tokens', 'admin', async (c) => {
      const body = await readJson(c, createTokenBody);
      const userId = body.userId ?? c.var.actor.id;
      if (userId === null) throw new AppError('bad_request', 'body.userId: whose token is it?');
      const { token, secret } = await c.var.tenantStore.createToken(
        {
          userId,
          name: body.name,
          ...(body.expiresInDays !== undefined && { expiresInDays: body.expiresInDays }),
        },
        c.var.actor,
      );
      return c.json({ token: tokenView(token), secret, note: 'the secret is shown only now' }, 201);
    })
    .add('GET', '/tokens/:tokenId', 'viewer', async (c) => {
      const token = await c.var.tenantStore.getToken(
        pathParam(c, 'tokenId'),
        ownTokensUnlessAdmin(c.var),
      );
      return c.json({ token: tokenView(token) });
    })
    .add('DELETE', '/tokens/:tokenId', 'admin', async (c) => {
      const token = await c.var.tenantStore.revokeToken(pathParam(c, 'tokenId'), c.var.actor);
      return c.json({ token: tokenView(token) });
    })
    .add('GET', '/audit', 'admin', async (c) => {
      const query = auditQuery.safeParse(c.req.query());
      if (!query.success) throw query.error;
      const events = await c.var.tenantStore.listAudit({
        limit: query.data.limit,
        ...(query.data.before !== undefined && { beforeSeq: query.data.before }),
      });
      return c.json({ events: events.map(auditView) });
    });
}

/** Admins see every token of the tenant; other members see only their own. */
function ownTokensUnlessAdmin(vars: { role: Role; actor: Actor }): { userId?: string } {
  return roleAllows(vars.role, 'admin') ? {} : { userId: vars.actor.id ?? '' };
}
