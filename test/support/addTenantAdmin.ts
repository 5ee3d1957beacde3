import type { Store } from '@plumbline/cloud';

export interface TenantAdmin {
  tenantId: string;
  slug: string;
  /** An API token of the tenant's admin, for the HTTP API. */
  adminToken: string;
}

const actor = { kind: 'cli', id: null, label: 'test setup' } as const;

/**
 * A new tenant with one admin and an API token for it, made through the store as the
 * `plumbline-cloud admin` commands do (no HTTP route creates tenants).
 */
export async function addTenantAdmin(store: Store, slug: string): Promise<TenantAdmin> {
  const tenant = await store.createTenant({ slug, displayName: `Tenant ${slug}` }, actor);
  const email = `admin@${slug}.test`;
  const user = await store.createUser({ email, displayName: 'admin' }, actor);
  const scope = store.tenant(tenant.id);
  await scope.addMember({ email, role: 'admin' }, actor);
  const { secret } = await scope.createToken({ userId: user.id, name: 'tunnel tests' }, actor);
  return { tenantId: tenant.id, slug, adminToken: secret };
}
