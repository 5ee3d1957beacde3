import { describe, expect, it } from 'vitest';
import { cliActor } from '../testing/createTestCloud.ts';
import { probeIntegration } from './probeIntegration.ts';
import { registerWebhook } from './registerWebhook.ts';
import { createSotTestBed } from './testing/createSotTestBed.ts';

/** Probes against what the lab's Nautobot answered each of its tokens (recorded). */
describe('probing an integration', () => {
  it('turns green with version and device count for a token that may read devices', async () => {
    for (const recording of ['readWrite.json', 'readOnly.json', 'devicesOnly.json']) {
      const bed = await createSotTestBed(recording);
      const probed = await probeIntegration(
        bed.deps,
        bed.tenant.tenantId,
        bed.integration.id,
        cliActor,
      );
      expect({ recording, ...probed }).toMatchObject({
        recording,
        status: 'green',
        statusCode: null,
        nautobotVersion: '3.2.7',
        apiVersion: '3.2',
        deviceCount: 12,
      });
    }
  });

  it("turns red with the client's code and message for an unknown token", async () => {
    const bed = await createSotTestBed('wrongToken.json');
    const probed = await probeIntegration(
      bed.deps,
      bed.tenant.tenantId,
      bed.integration.id,
      cliActor,
    );
    expect(probed.status).toBe('red');
    expect(probed.statusCode).toBe('token_rejected');
    expect(probed.statusMessage).toMatch(/token/i);
    const [audited] = await bed.cloud.store.tenant(bed.tenant.tenantId).listAudit({ limit: 1 });
    expect(audited).toMatchObject({
      action: 'integration.probed',
      detail: { status: 'red', code: 'token_rejected' },
    });
  });

  it('reports a refused webhook registration with the permission Nautobot named', async () => {
    const bed = await createSotTestBed('readOnly.json', { anyQueryFor: ['/api/extras/webhooks/'] });
    const outcome = await registerWebhook(
      bed.deps,
      bed.tenant.tenantId,
      bed.integration.id,
      cliActor,
    );
    expect(outcome).toMatchObject({
      registered: false,
      code: 'permission_denied',
      url: `https://plumbline.test/api/v1/sot/webhooks/${bed.integration.webhookSlug}`,
    });
    expect(bed.requests).toEqual([
      expect.stringMatching(/^GET \/api\/extras\/webhooks\/\?name=plumbline/),
      'POST /api/extras/webhooks/',
    ]);
    const [audited] = await bed.cloud.store.tenant(bed.tenant.tenantId).listAudit({ limit: 1 });
    expect(audited).toMatchObject({
      action: 'integration.webhook_refused',
      detail: { refusedWith: 'permission_denied' },
    });
  });
});
