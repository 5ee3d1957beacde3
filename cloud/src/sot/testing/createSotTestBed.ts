import { createLogger } from '@plumbline/log';
import type { SotStore } from '../../store/SotStore.ts';
import type { Integration } from '../../store/sotRecords.ts';
import {
  addTenantFixture,
  cliActor,
  createTestCloud,
  type TenantFixture,
  type TestCloud,
} from '../../testing/createTestCloud.ts';
import { type SotDeps, tunnelUnavailable } from '../SotDeps.ts';
import { SyncRunner } from '../SyncRunner.ts';
import { readRecording, replayFetch } from './Recording.ts';

export interface SotTestBed {
  cloud: TestCloud;
  tenant: TenantFixture;
  deps: SotDeps;
  runner: SyncRunner;
  sot: SotStore;
  integration: Integration;
  requests: string[];
}

/**
 * A test cloud with one tenant and one integration whose Nautobot answers come from a
 * recording of the lab (`recorded/<name>`). `failOn` breaks the connection of every request
 * whose path contains it, as a cut network would.
 */
export async function createSotTestBed(
  recording = 'readWrite.json',
  options: { failOn?: string; slug?: string; cloud?: TestCloud; anyQueryFor?: string[] } = {},
): Promise<SotTestBed> {
  const cloud = options.cloud ?? createTestCloud();
  const tenant = await addTenantFixture(cloud, options.slug ?? 'acme', { withPasswords: false });
  const replay = replayFetch(readRecording(recording), {
    ...(options.failOn !== undefined && { failOn: options.failOn }),
    ...(options.anyQueryFor !== undefined && { anyQueryFor: options.anyQueryFor }),
  });
  const deps: SotDeps = {
    store: cloud.store,
    sealer: cloud.sealer,
    logger: createLogger({ name: 'test', level: 'silent' }),
    fetchViaAgent: tunnelUnavailable,
    publicUrl: 'https://plumbline.test',
    directFetch: replay.fetch,
    clientOptions: { retries: 0 },
  };
  const sot = cloud.store.tenant(tenant.tenantId).sot();
  const integration = await sot.createIntegration(
    {
      name: 'lab',
      baseUrl: 'http://nautobot.recorded.test',
      token: 'recorded0recorded0recorded0recorded01234',
      reachableViaAgentId: null,
      enabled: true,
      resyncIntervalMs: 15 * 60_000,
    },
    cloud.sealer,
    cliActor,
  );
  return {
    cloud,
    tenant,
    deps,
    runner: new SyncRunner(deps),
    sot,
    integration,
    requests: replay.requests,
  };
}

export type RecordedObject = Record<string, unknown> & { id: string };

/** The recorded list answer of one endpoint, as Nautobot sent it. */
export function recordedList(path: string): RecordedObject[] {
  const recording = readRecording('readWrite.json');
  const exchange = recording.exchanges.find(
    (e) => e.request === `GET ${path}?limit=0&offset=0&depth=0`,
  );
  if (!exchange) throw new Error(`no recorded listing of ${path}`);
  return (JSON.parse(exchange.body) as { results: RecordedObject[] }).results;
}
