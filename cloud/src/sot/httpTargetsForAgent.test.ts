import { generateSigningKeyPair } from '@plumbline/proto';
import { describe, expect, it } from 'vitest';
import {
  addTenantFixture,
  cliActor,
  createTestCloud,
  type TestCloud,
} from '../testing/createTestCloud.ts';
import { httpTargetsForAgent } from './httpTargetsForAgent.ts';

async function enrolledAgent(cloud: TestCloud, tenantId: string): Promise<string> {
  const agents = cloud.store.agents();
  const { token } = await agents.createEnrollmentToken(tenantId, 3_600_000, cliActor);
  const { publicKey } = generateSigningKeyPair();
  const { agent } = await agents.enroll({ token, publicKey, name: 'edge', agentVersion: 'test' });
  return agent.id;
}

const settings = { token: 't'.repeat(40), enabled: true, resyncIntervalMs: 900_000 };

describe('the HTTP targets of an agent', () => {
  it("are the base URLs of its tenant's enabled integrations reachable through it", async () => {
    const cloud = createTestCloud();
    const a = await addTenantFixture(cloud, 'alpha', { withPasswords: false });
    const b = await addTenantFixture(cloud, 'bravo', { withPasswords: false });
    const agent = await enrolledAgent(cloud, a.tenantId);
    const other = await enrolledAgent(cloud, a.tenantId);
    const sot = cloud.store.tenant(a.tenantId).sot();
    const add = (name: string, baseUrl: string, via: string | null, enabled = true) =>
      sot.createIntegration(
        { ...settings, name, baseUrl, reachableViaAgentId: via, enabled },
        cloud.sealer,
        cliActor,
      );
    await add('through it', 'https://nautobot.alpha.example', agent);
    await add('same URL again', 'https://nautobot.alpha.example', agent);
    await add('second', 'https://dc2.alpha.example/nautobot', agent);
    await add('disabled', 'https://old.alpha.example', agent, false);
    await add('direct', 'https://cloud-reachable.alpha.example', null);
    await add('another agent', 'https://dc3.alpha.example', other);

    expect(await httpTargetsForAgent(cloud.store, a.tenantId, agent)).toEqual([
      'https://dc2.alpha.example/nautobot',
      'https://nautobot.alpha.example',
    ]);
    expect(await httpTargetsForAgent(cloud.store, b.tenantId, agent)).toEqual([]);
  });

  it('refuses an integration through an agent of another tenant', async () => {
    const cloud = createTestCloud();
    const a = await addTenantFixture(cloud, 'alpha', { withPasswords: false });
    const b = await addTenantFixture(cloud, 'bravo', { withPasswords: false });
    const foreign = await enrolledAgent(cloud, b.tenantId);
    const attempt = cloud.store
      .tenant(a.tenantId)
      .sot()
      .createIntegration(
        { ...settings, name: 'x', baseUrl: 'https://n.example', reachableViaAgentId: foreign },
        cloud.sealer,
        cliActor,
      );
    await expect(attempt).rejects.toMatchObject({ code: 'not_found' });
    expect(await cloud.store.tenant(a.tenantId).sot().listIntegrations()).toEqual([]);
  });
});
