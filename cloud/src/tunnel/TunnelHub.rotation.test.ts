import { closeReasons, generateSigningKeyPair, keyIdOf } from '@plumbline/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawAgent, type RawAgentIdentity } from './testing/rawAgent.ts';
import {
  startTunnelTestCloud,
  type TunnelTestCloud,
  type TunnelTestTenant,
} from './testing/startTunnelTestCloud.ts';

describe('key rotation over the tunnel', () => {
  let test: TunnelTestCloud;
  let acme: TunnelTestTenant;

  beforeAll(async () => {
    test = await startTunnelTestCloud();
    acme = await test.addTenant('acme');
  });
  afterAll(() => test.dispose());

  const rotatePath = (agentId: string) => `/api/v1/tenants/acme/agents/${agentId}/rotate-key`;
  const validKeyIds = async (agentId: string) =>
    (await test.cloud.store.agents().validKeys(acme.id, agentId)).map((key) => key.keyId);

  it('asks the agent, registers a key signed by old and new, and retires the old one on first use of the new', async () => {
    const agent = await acme.enroll('edge');
    const raw = await RawAgent.connect(test.cloud.url, agent);
    const asked = await test.api(acme.adminToken, 'POST', rotatePath(agent.agentId));
    expect(asked).toMatchObject({ status: 202, json: { delivered: true } });
    await raw.next('key.rotate.request');

    const newKeys = generateSigningKeyPair();
    raw.rotateTo(agent, newKeys);
    expect(await raw.next('key.rotated')).toEqual({
      type: 'key.rotated',
      newPublicKey: newKeys.publicKey,
    });
    expect(await validKeyIds(agent.agentId)).toEqual([
      keyIdOf(agent.keys.publicKey),
      keyIdOf(newKeys.publicKey),
    ]);

    // Until the new key is used, the old one still connects (the agent may not have saved it).
    const withOld = await RawAgent.connect(test.cloud.url, agent);
    expect(await raw.closed).toMatchObject({ reason: 'replaced' });
    const rotated: RawAgentIdentity = { ...agent, keys: newKeys };
    const withNew = await RawAgent.connect(test.cloud.url, rotated);
    expect(await withOld.closed).toMatchObject({ reason: 'replaced' });
    await expect.poll(() => validKeyIds(agent.agentId)).toEqual([keyIdOf(newKeys.publicKey)]);

    const refused = await RawAgent.open(test.cloud.url);
    refused.sendAuth(agent);
    expect(await refused.closed).toEqual({
      code: closeReasons.unknown_agent,
      reason: 'unknown_agent',
    });
    const audit = await test.cloud.store.tenant(acme.id).listAudit({ limit: 10 });
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'agent.key_rotation_requested',
        'agent.key_added',
        'agent.key_retired',
      ]),
    );
    await withNew.close();
  });

  it('refuses a rotation the current key did not sign, or the new key did not sign', async () => {
    const agent = await acme.enroll('edge-2');
    const raw = await RawAgent.connect(test.cloud.url, agent);
    const stranger = { ...agent, keys: generateSigningKeyPair() };
    raw.rotateTo(stranger, generateSigningKeyPair());
    expect(await raw.next('key.rotate.refused')).toMatchObject({
      error: { code: 'bad_signature', message: 'the current key did not sign this rotation' },
    });

    const newKeys = generateSigningKeyPair();
    const otherNew = generateSigningKeyPair();
    raw.rotateTo(agent, { publicKey: newKeys.publicKey, secretKey: otherNew.secretKey });
    expect(await raw.next('key.rotate.refused', 1)).toMatchObject({
      error: { code: 'bad_signature', message: 'the new key did not sign this rotation' },
    });
    expect(await validKeyIds(agent.agentId)).toEqual([keyIdOf(agent.keys.publicKey)]);
    await raw.close();
  });

  it('refuses a third key while a rotation is unfinished', async () => {
    const agent = await acme.enroll('edge-3');
    const raw = await RawAgent.connect(test.cloud.url, agent);
    raw.rotateTo(agent, generateSigningKeyPair());
    await raw.next('key.rotated');
    raw.rotateTo(agent, generateSigningKeyPair());
    expect(await raw.next('key.rotate.refused')).toMatchObject({ error: { code: 'conflict' } });
    expect(await validKeyIds(agent.agentId)).toHaveLength(2);
    await raw.close();
  });

  it('asks an offline agent to rotate when it next connects', async () => {
    const agent = await acme.enroll('edge-4');
    const asked = await test.api(acme.adminToken, 'POST', rotatePath(agent.agentId));
    expect(asked).toMatchObject({
      status: 202,
      json: { delivered: false, agent: { state: 'offline' } },
    });
    const raw = await RawAgent.connect(test.cloud.url, agent);
    await raw.next('key.rotate.request');
    raw.rotateTo(agent, generateSigningKeyPair());
    await raw.next('key.rotated');
    const shown = await test.api(
      acme.adminToken,
      'GET',
      `/api/v1/tenants/acme/agents/${agent.agentId}`,
    );
    expect(shown.json).toMatchObject({ agent: { keyRotationRequestedAt: null } });
    await raw.close();
  });
});
