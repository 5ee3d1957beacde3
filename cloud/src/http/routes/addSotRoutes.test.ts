import { describe, expect, it } from 'vitest';
import { addTenantFixture, createTestCloud, rawDatabase } from '../../testing/createTestCloud.ts';
import { mirrorDeviceRow } from '../../testing/mirrorDeviceRow.ts';

const nautobotToken = '0123456789abcdef0123456789abcdef0badc0de';
const body = {
  name: 'Lab Nautobot',
  baseUrl: 'https://nautobot.example.net/',
  token: nautobotToken,
};

async function withIntegration() {
  const cloud = createTestCloud();
  const t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
  const created = await cloud.request('POST', '/api/v1/tenants/acme/integrations', {
    token: t.users.admin.token,
    body,
  });
  const integration = (created.json as { integration: Record<string, unknown> }).integration;
  return {
    cloud,
    t,
    created,
    integration,
    url: `/api/v1/tenants/acme/integrations/${integration.id}`,
  };
}

describe('integration settings over the API', () => {
  it('creates an integration with defaults, and never returns the token', async () => {
    const { created, integration } = await withIntegration();

    expect(created.status).toBe(201);
    expect(created.text).not.toContain(nautobotToken);
    expect(integration).toMatchObject({
      name: 'Lab Nautobot',
      baseUrl: 'https://nautobot.example.net',
      token: 'set, ends in …c0de',
      enabled: true,
      resyncIntervalMinutes: 15,
      reachableViaAgentId: null,
      status: { state: 'unknown' },
      webhookUrl: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:8080\/api\/v1\/sot\/webhooks\/[\w-]{20,}$/,
      ),
      webhookSecret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('keeps the token sealed in the database and out of the audit log', async () => {
    const { cloud, t } = await withIntegration();
    const rows = rawDatabase(cloud.store).prepare('select * from sot_integrations').all();
    expect(JSON.stringify(rows)).not.toContain(nautobotToken);
    expect(JSON.stringify(rows)).toContain('sealed.v1.');
    const audit = await cloud.store.tenant(t.tenantId).listAudit({ limit: 10 });
    expect(audit[0]).toMatchObject({ action: 'integration.created' });
    expect(JSON.stringify(audit)).not.toContain(nautobotToken);
  });

  it('shows the webhook secret to admins only', async () => {
    const { cloud, t, url } = await withIntegration();
    const asAdmin = await cloud.request('GET', url, { token: t.users.admin.token });
    const asViewer = await cloud.request('GET', url, { token: t.users.viewer.token });
    const list = await cloud.request('GET', '/api/v1/tenants/acme/integrations', {
      token: t.users.viewer.token,
    });

    expect(asAdmin.json).toMatchObject({ integration: { webhookSecret: expect.any(String) } });
    expect(asViewer.status).toBe(200);
    expect(asViewer.json).not.toHaveProperty('integration.webhookSecret');
    expect(list.text).not.toContain('webhookSecret');
  });

  it('replaces the token on edit, resets the status, and disables', async () => {
    const { cloud, t, url } = await withIntegration();
    const edited = await cloud.request('PATCH', url, {
      token: t.users.admin.token,
      body: {
        token: 'ffffffffffffffffffffffffffffffffffff1234',
        enabled: false,
        resyncIntervalMinutes: 60,
      },
    });
    expect(edited.json).toMatchObject({
      integration: { token: 'set, ends in …1234', enabled: false, resyncIntervalMinutes: 60 },
    });
    const [audited] = await cloud.store.tenant(t.tenantId).listAudit({ limit: 1 });
    expect(audited?.detail).toEqual({
      enabled: false,
      resyncIntervalMs: 3_600_000,
      token: 'replaced',
    });
  });

  it('refuses a base URL that is not http(s), and an agent of no tenant', async () => {
    const { cloud, t } = await withIntegration();
    const ftp = await cloud.request('POST', '/api/v1/tenants/acme/integrations', {
      token: t.users.admin.token,
      body: { ...body, baseUrl: 'ftp://nautobot.example.net' },
    });
    const agent = await cloud.request('POST', '/api/v1/tenants/acme/integrations', {
      token: t.users.admin.token,
      body: { ...body, reachableViaAgentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(ftp.status).toBe(400);
    expect(agent.status).toBe(404);
    expect(agent.json).toMatchObject({ error: { message: expect.stringContaining('no agent') } });
  });

  it('deletes an integration with its mirror', async () => {
    const { cloud, t, url, integration } = await withIntegration();
    const sot = cloud.store.tenant(t.tenantId).sot();
    const id = '6b3e9718-65fa-41b7-8f91-9986508a29e9';
    const row = mirrorDeviceRow(id, 1);
    await sot.applyWebhookEvent(String(integration.id), {
      action: 'upsert',
      table: 'devices',
      id,
      row,
      eventTimeMs: 1,
    });
    const count = () =>
      rawDatabase(cloud.store).prepare('select count(*) as n from sot_devices').get();
    expect(count()).toEqual({ n: 1 });

    const deleted = await cloud.request('DELETE', url, { token: t.users.admin.token });
    const after = await cloud.request('GET', url, { token: t.users.admin.token });

    expect(deleted.status).toBe(204);
    expect(after.status).toBe(404);
    expect(count()).toEqual({ n: 0 });
  });
});
