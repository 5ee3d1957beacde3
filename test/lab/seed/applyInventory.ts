import { z } from 'zod';
import { countInventory } from './countInventory.js';
import { createNautobotClient, type NautobotClient } from './createNautobotClient.js';
import { countKeys, type InventoryCounts, type InventoryPlan } from './InventoryPlan.js';
import { inventoryEndpoints } from './inventoryEndpoints.js';
import { SeedError } from './SeedError.js';
import { seedAddressing, setPrimaryIps } from './seedAddressing.js';
import { seedCatalog } from './seedCatalog.js';
import type { ProgressListener, SeedContext } from './seedContext.js';
import { seedDevices, seedGoldenConfigs, seedInterfaces } from './seedDevices.js';

export interface ApplyInventoryOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
  /** Called after every chunk with the objects of that step created so far. */
  onProgress?: ProgressListener;
  /** Requests in flight at once within a step; Nautobot's workers bound what helps. */
  concurrency?: number;
  /**
   * The most objects per bulk request. Nautobot writes a change-log entry per object, so a
   * request costs about 50-200 ms per object; 50 keeps each one far below the 60 s after which
   * uWSGI's HTTP router drops a request (the server still commits it).
   */
  chunkSize?: number;
}

export interface SeedResult {
  /** Objects created, per type; equal to `plan.counts` when the seed succeeded. */
  counts: InventoryCounts;
  /** Device name → UUID, for callers that go on to use the devices. */
  deviceIds: Record<string, string>;
}

/**
 * Loads `plan` into an empty Nautobot through bulk REST calls, in foreign-key order. It only
 * creates: a database that already holds any of the object types is refused up front, since
 * the lab always seeds a freshly migrated copy.
 */
export async function applyInventory(
  plan: InventoryPlan,
  options: ApplyInventoryOptions,
): Promise<SeedResult> {
  const client = createNautobotClient(options);
  await assertEmpty(client, options.url);
  const [statusId, namespaceId] = await Promise.all([
    findIdByName(client, '/api/extras/statuses/', plan.status),
    findIdByName(client, '/api/ipam/namespaces/', plan.namespace),
  ]);
  const context: SeedContext = {
    client,
    chunks: { chunkSize: options.chunkSize ?? 50, concurrency: options.concurrency ?? 4 },
    planned: plan.counts,
    created: Object.fromEntries(countKeys.map((key) => [key, 0])) as InventoryCounts,
    statusId,
    namespaceId,
    onProgress: options.onProgress ?? (() => {}),
  };

  const catalog = await seedCatalog(context, plan);
  const deviceIds = await seedDevices(context, plan, catalog);
  const interfaceIds = await seedInterfaces(context, plan, deviceIds);
  const addressIds = await seedAddressing(context, plan, catalog, interfaceIds);
  await setPrimaryIps(context, plan, deviceIds, addressIds);
  await seedGoldenConfigs(context, plan, deviceIds);

  return { counts: { ...context.created }, deviceIds: Object.fromEntries(deviceIds) };
}

async function assertEmpty(client: NautobotClient, url: string): Promise<void> {
  const existing = await countInventory(client);
  const found = countKeys
    .filter((key) => existing[key] > 0)
    .map((key) => `${existing[key]} at ${inventoryEndpoints[key].path}`);
  if (found.length > 0) {
    throw new SeedError(
      'not_empty',
      `Nautobot at ${url} already holds objects the seeder would create (${found.join(', ')}); ` +
        'the seeder only loads a freshly migrated database, so recreate it and seed again',
    );
  }
}

const namedPage = z.object({ results: z.array(z.object({ id: z.uuid(), name: z.string() })) });

async function findIdByName(client: NautobotClient, path: string, name: string): Promise<string> {
  const page = await client.get(path, { name }, namedPage);
  const match = page.results.find((row) => row.name === name);
  if (match === undefined) {
    throw new SeedError(
      'missing_prerequisite',
      `GET ${path}?name=${name} found nothing; Nautobot's migrations create it, ` +
        'so the database is not a complete migrated one',
    );
  }
  return match.id;
}
