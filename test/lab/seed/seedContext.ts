import { z } from 'zod';
import type { NautobotClient } from './createNautobotClient.js';
import type { CountKey, InventoryCounts } from './InventoryPlan.js';
import { inventoryEndpoints } from './inventoryEndpoints.js';
import { type ChunkOptions, mapChunks } from './mapChunks.js';
import { SeedError } from './SeedError.js';

/** A counted object type, or the bulk update that sets the devices' primary IPs. */
export type SeedStep = CountKey | 'primaryIps';

export type ProgressListener = (step: SeedStep, done: number, total: number) => void;

/** What every seeding step shares: the client, chunking, and the tally of created objects. */
export interface SeedContext {
  client: NautobotClient;
  chunks: ChunkOptions;
  planned: InventoryCounts;
  created: InventoryCounts;
  /** The built-in "Active" status and "Global" namespace, looked up once. */
  statusId: string;
  namespaceId: string;
  onProgress: ProgressListener;
}

export const uuid = z.uuid();

/**
 * POSTs `bodies` to the step's endpoint as lists of `chunkSize`, with up to `concurrency`
 * requests in flight, and returns the created rows in the order of `bodies`.
 */
export async function createInBulk<Row>(
  context: SeedContext,
  step: CountKey,
  bodies: readonly object[],
  rowSchema: z.ZodType<Row>,
): Promise<Row[]> {
  const { path } = inventoryEndpoints[step];
  const listSchema = z.array(rowSchema);
  return mapChunks(bodies, context.chunks, async (chunk) => {
    const rows = await context.client.post(path, chunk, listSchema);
    if (rows.length !== chunk.length) {
      throw new SeedError(
        'unexpected_body',
        `POST ${path} created ${rows.length} objects for a list of ${chunk.length}`,
      );
    }
    context.created[step] += rows.length;
    context.onProgress(step, context.created[step], context.planned[step]);
    return rows;
  });
}

/** PATCHes lists of `{id, ...}`; each list is one all-or-nothing transaction in Nautobot. */
export async function updateInBulk(
  context: SeedContext,
  step: SeedStep,
  path: string,
  bodies: readonly { id: string }[],
): Promise<number> {
  let done = 0;
  const rows = await mapChunks(bodies, context.chunks, async (chunk) => {
    const updated = await context.client.patch(path, chunk, z.array(z.object({ id: uuid })));
    done += updated.length;
    context.onProgress(step, done, bodies.length);
    return updated;
  });
  return rows.length;
}

/** Natural key → UUID, from the rows Nautobot returned. */
export function collectIds<Row extends { id: string }>(
  rows: readonly Row[],
  keyOf: (row: Row) => string,
  into: Map<string, string> = new Map(),
): Map<string, string> {
  for (const row of rows) into.set(keyOf(row), row.id);
  return into;
}

/** The UUID of a planned object; a miss means Nautobot stored it under another key. */
export function idOf(ids: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  if (id === undefined) {
    throw new SeedError(
      'unexpected_body',
      `Nautobot returned no ${what} "${key}" among the ${ids.size} it created; ` +
        'it may normalise that key differently from the plan',
    );
  }
  return id;
}
