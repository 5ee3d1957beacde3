import { randomBytes } from 'node:crypto';
import type { RunningCloud } from '@plumbline/cloud';
import { DemoApi } from './DemoApi.ts';
import type { DemoPaths } from './prepareDemoDir.ts';
import { writePrivateFile } from './writePrivateFile.ts';

export const demoTenant = { slug: 'demo', displayName: 'Demo Networks' } as const;
export const demoAdminEmail = 'admin@demo.example';

const actor = { kind: 'cli', id: null, label: 'plumbline demo (test/demo)' } as const;

/**
 * The demo tenant, its admin (with a password, for signing in) and an API token, made through
 * the store as `plumbline-cloud admin` does: no HTTP route creates tenants. The password and the
 * token go to 0600 files, never to the terminal. Returns the API as that admin.
 */
export async function createDemoAdmin(
  cloud: RunningCloud,
  paths: DemoPaths,
): Promise<{ api: DemoApi; tenantId: string }> {
  const { store } = cloud;
  const tenant = await store.createTenant(demoTenant, actor);
  const password = randomBytes(18).toString('base64url');
  const user = await store.createUser(
    { email: demoAdminEmail, displayName: 'Demo admin', password },
    actor,
  );
  const scope = store.tenant(tenant.id);
  await scope.addMember({ email: demoAdminEmail, role: 'admin' }, actor);
  const { secret } = await scope.createToken({ userId: user.id, name: 'demo' }, actor);

  writePrivateFile(paths.adminPasswordFile, `${password}\n`);
  writePrivateFile(paths.apiTokenFile, `${secret}\n`);
  return { api: new DemoApi(cloud.url, demoTenant.slug, secret), tenantId: tenant.id };
}
