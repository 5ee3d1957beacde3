import type { Handler, Hono } from 'hono';
import type { Role } from '../auth/Role.ts';
import type { AppEnv } from './AppEnv.ts';
import { tenantAccess } from './tenantAccess.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route inside a tenant, as the isolation test sees it. */
export interface TenantRoute {
  method: Method;
  /** Below `/api/v1/tenants/:tenant`, e.g. `/members/:userId`; empty for the tenant itself. */
  path: string;
  minRole: Role;
}

export const tenantPathPrefix = '/api/v1/tenants/:tenant';

/**
 * The only way to add a route inside a tenant: it puts `tenantAccess(minRole)` in front and
 * lists the route in `routes`, which the isolation matrix test walks. A route added any other
 * way under the tenant prefix makes that test fail.
 */
export class TenantRouter {
  readonly routes: TenantRoute[] = [];
  private readonly app: Hono<AppEnv>;

  constructor(app: Hono<AppEnv>) {
    this.app = app;
  }

  add(method: Method, path: string, minRole: Role, handler: Handler<AppEnv>): this {
    this.routes.push({ method, path, minRole });
    this.app.on(method, `${tenantPathPrefix}${path}`, tenantAccess(minRole), handler);
    return this;
  }
}
