import type { Logger } from '@plumbline/log';
import type { Role } from '../auth/Role.ts';
import type { Actor, Principal, Tenant } from '../store/records.ts';
import type { Store } from '../store/Store.ts';
import type { TenantStore } from '../store/TenantStore.ts';

/** What middleware puts on the context for the handlers after it. */
export interface AppVariables {
  store: Store;
  logger: Logger;
  /** Set by `authenticate` when the request carried a valid token or session cookie. */
  principal: Principal | undefined;
  /** Set by `tenantAccess` for tenant routes, and only there. */
  tenant: Tenant;
  tenantStore: TenantStore;
  role: Role;
  actor: Actor;
}

export interface AppEnv {
  Variables: AppVariables;
}
