import { createMiddleware } from 'hono/factory';
import { type Role, roleAllows } from '../auth/Role.ts';
import { AppError } from '../errors/AppError.ts';
import type { Actor, Principal } from '../store/records.ts';
import type { AppEnv } from './AppEnv.ts';
import { requirePrincipal } from './authenticate.ts';

/**
 * The one check in front of every tenant route: the caller must belong to the tenant named in
 * the path (a token, to the tenant it was made in), and hold at least `minRole` there. A tenant
 * the caller does not belong to is "not found", whether it exists or not, so slugs cannot be
 * probed. Handlers then see only `tenantStore`, which is bound to that tenant.
 */
export function tenantAccess(minRole: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = requirePrincipal(c.get('principal'));
    const store = c.get('store');
    const slug = c.req.param('tenant') ?? '';
    const notFound = new AppError('not_found', `tenant "${slug}" not found`);

    const tenant = await store.findTenantBySlug(slug);
    if (!tenant) throw notFound;
    const role = await roleOf(principal, tenant.id, store);
    if (role === undefined) throw notFound;
    if (!roleAllows(role, minRole)) {
      throw new AppError(
        'forbidden',
        `this needs the ${minRole} role in tenant "${slug}"; you have ${role}`,
      );
    }

    c.set('tenant', tenant);
    c.set('role', role);
    c.set('tenantStore', store.tenant(tenant.id));
    c.set('actor', actorOf(principal));
    return next();
  });
}

async function roleOf(
  principal: Principal,
  tenantId: string,
  store: AppEnv['Variables']['store'],
): Promise<Role | undefined> {
  if (principal.kind === 'token')
    return principal.tenantId === tenantId ? principal.role : undefined;
  return store.roleOf(principal.user.id, tenantId);
}

export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'token') {
    const label = `${principal.user.email} (token "${principal.token.name}")`;
    return { kind: 'token', id: principal.user.id, label };
  }
  return { kind: 'user', id: principal.user.id, label: principal.user.email };
}
