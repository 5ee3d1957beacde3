import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollAgent, type RunningAgent, startAgent } from '@plumbline/agent';
import { createLogger } from '@plumbline/log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTargetsForAgent } from '../../cloud/src/sot/httpTargetsForAgent.ts';
import { createEnrollmentToken } from '../support/createEnrollmentToken.ts';
import { type SotCloud, startSotCloud, syncAndWait } from './sot-harness.ts';

/**
 * The same Nautobot synced twice by one cloud: directly, and through an enrolled agent's tunnel
 * (the agent forwards only to the base URLs of the integrations reachable through it). Both
 * mirrors must be the same.
 */
const dir = mkdtempSync(join(tmpdir(), 'sot-tunnel-'));
const logger = createLogger({ name: 'sot-tunnel', level: process.env.SOT_TEST_LOG ?? 'silent' });
let sot: SotCloud;
let agent: RunningAgent;
let agentId: string;

beforeAll(async () => {
  // The hub and the integration reach each other through closures: the store and hub exist
  // only once startCloud has returned.
  const late: { sot?: SotCloud } = {};
  sot = await startSotCloud('127.0.0.1', {
    tunnel: {
      httpTargets: (tenantId, id) =>
        httpTargetsForAgent(mustHave(late.sot).cloud.store, tenantId, id),
    },
    sot: { fetchViaAgent: (tenantId, id) => mustHave(late.sot).cloud.hub.fetchVia(tenantId, id) },
  });
  late.sot = sot;

  const token = await createEnrollmentToken(sot.cloud.url, {
    slug: sot.admin.slug,
    adminToken: sot.admin.adminToken,
  });
  const stateDir = join(dir, 'agent');
  const enrolled = await enrollAgent({ cloudUrl: sot.cloud.url, token, stateDir, name: 'edge' });
  agentId = enrolled.agentId;
  agent = await startAgent({ stateDir, logger, healthPort: false });
  await agent.whenConnected();
});

afterAll(async () => {
  await agent?.stop();
  await sot?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function mustHave<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the cloud has not started yet');
  return value;
}

const tables = [
  'sites',
  'devices',
  'interfaces',
  'ip-addresses',
  'prefixes',
  'tags',
  'custom-fields',
];

async function mirrorOf(integrationId: string) {
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const { json } = await sot.api('GET', `/integrations/${integrationId}/${table}?limit=1000`);
    out[table] = json[table];
  }
  return out;
}

describe('a sync through the tunnel', () => {
  it('gives the same mirror as the direct sync of the same Nautobot', async () => {
    const settings = { baseUrl: sot.lab.nautobot.url, token: sot.lab.nautobot.tokens.readOnly };
    const direct = await sot.api('POST', '/integrations', { ...settings, name: 'direct' });
    const tunnelled = await sot.api('POST', '/integrations', {
      ...settings,
      name: 'through the agent',
      reachableViaAgentId: agentId,
    });
    expect(tunnelled.status).toBe(201);
    expect(await httpTargetsForAgent(sot.cloud.store, sot.admin.tenantId, agentId)).toEqual([
      sot.lab.nautobot.url,
    ]);

    const probed = await sot.api('POST', `/integrations/${tunnelled.json.integration.id}/probe`);
    expect(probed.json.integration.status).toMatchObject({ state: 'green', deviceCount: 12 });

    const viaDirect = await syncAndWait(sot, direct.json.integration.id, 'full');
    const viaTunnel = await syncAndWait(sot, tunnelled.json.integration.id, 'full');

    expect(viaTunnel).toMatchObject({ state: 'succeeded', error: null });
    expect(viaTunnel.counts).toEqual(viaDirect.counts);
    expect(await mirrorOf(tunnelled.json.integration.id)).toEqual(
      await mirrorOf(direct.json.integration.id),
    );
  });

  it('probes red with transport_unavailable, naming the agent, once the agent is gone', async () => {
    const created = await sot.api('POST', '/integrations', {
      baseUrl: sot.lab.nautobot.url,
      token: sot.lab.nautobot.tokens.readOnly,
      name: 'through a stopped agent',
      reachableViaAgentId: agentId,
    });
    await agent.stop();

    const probed = await sot.api('POST', `/integrations/${created.json.integration.id}/probe`);

    expect(probed.json.integration.status).toMatchObject({
      state: 'red',
      code: 'transport_unavailable',
    });
    expect(probed.json.integration.status.message).toContain(
      `agent ${agentId} has no tunnel connection to this cloud`,
    );
  });
});
