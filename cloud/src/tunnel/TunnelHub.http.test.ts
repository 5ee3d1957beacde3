import { encodeStreamData, type TargetsSigningPayload, verifyPayload } from '@plumbline/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { RawAgent } from './testing/rawAgent.ts';
import { startTunnelTestCloud, type TunnelTestCloud } from './testing/startTunnelTestCloud.ts';

describe('HTTP through the agent', () => {
  let test: TunnelTestCloud | undefined;
  afterEach(async () => {
    await test?.dispose();
    test = undefined;
  });

  it('sends signed HTTP targets right after welcome and again on refresh', async () => {
    let baseUrls = ['https://nautobot.acme.example'];
    test = await startTunnelTestCloud({ tunnel: { httpTargets: async () => baseUrls } });
    const acme = await test.addTenant('acme');
    const agent = await acme.enroll('edge');
    const raw = await RawAgent.connect(test.cloud.url, agent);

    const first = await raw.next('http.targets');
    expect(raw.frames.map((frame) => frame.type).slice(0, 3)).toEqual([
      'hello',
      'welcome',
      'http.targets',
    ]);
    const payload = (frame: typeof first): TargetsSigningPayload => ({
      purpose: 'plumbline.targets.v1',
      agentId: agent.agentId,
      tenantId: acme.id,
      baseUrls: frame.baseUrls,
      issuedAtMs: frame.issuedAtMs,
    });
    expect(first.baseUrls).toEqual(['https://nautobot.acme.example']);
    expect(verifyPayload(payload(first), first.signature, agent.cloudSigningPublicKey)).toBe(true);
    const widened = {
      ...payload(first),
      baseUrls: ['https://nautobot.acme.example', 'http://10.0.0.1'],
    };
    expect(verifyPayload(widened, first.signature, agent.cloudSigningPublicKey)).toBe(false);

    baseUrls = ['https://nautobot.acme.example', 'https://nautobot-2.acme.example'];
    expect(await test.cloud.hub.refreshHttpTargets(acme.id, agent.agentId)).toBe(true);
    const second = await raw.next('http.targets', 1);
    expect(second.baseUrls).toEqual(baseUrls);
    expect(second.issuedAtMs).toBeGreaterThan(first.issuedAtMs);
    expect(verifyPayload(payload(second), second.signature, agent.cloudSigningPublicKey)).toBe(
      true,
    );
    await raw.close();
  });

  it("sends as targets the base URLs of the tenant's integrations reachable via the agent", async () => {
    test = await startTunnelTestCloud();
    const acme = await test.addTenant('acme');
    const agent = await acme.enroll('edge');
    const raw = await RawAgent.connect(test.cloud.url, agent);
    expect((await raw.next('http.targets')).baseUrls).toEqual([]);

    const created = await test.api(acme.adminToken, 'POST', '/api/v1/tenants/acme/integrations', {
      name: 'Nautobot',
      baseUrl: 'https://nautobot.acme.example',
      token: 'nb-token-0123456789abcdef0123456789abcdef',
      reachableViaAgentId: agent.agentId,
    });
    expect(created.status).toBe(201);
    const second = await raw.next('http.targets', 1);
    expect(second.baseUrls).toEqual(['https://nautobot.acme.example']);
    await raw.close();
  });

  it("fetches through the agent's current connection, and refuses when it is offline", async () => {
    test = await startTunnelTestCloud();
    const acme = await test.addTenant('acme');
    const agent = await acme.enroll('edge');
    const fetchViaAgent = test.cloud.hub.fetchVia(acme.id, agent.agentId);

    await expect(fetchViaAgent('https://nautobot.acme.example/api/')).rejects.toMatchObject({
      code: 'agent_offline',
      message: expect.stringContaining(agent.agentId),
    });

    const raw = await RawAgent.connect(test.cloud.url, agent);
    const answer = fetchViaAgent('https://nautobot.acme.example/api/status/');
    const request = await raw.next('http.request');
    expect(request).toMatchObject({
      method: 'GET',
      url: 'https://nautobot.acme.example/api/status/',
      hasBody: false,
    });
    raw.send({
      type: 'http.response',
      streamId: request.streamId,
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'application/json']],
    });
    raw.send(encodeStreamData(request.streamId, Buffer.from('{"nautobot-version":"3.2.7"}')));
    raw.send({ type: 'stream.end', streamId: request.streamId });
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ 'nautobot-version': '3.2.7' });
    await raw.close();
  });
});
