import { z } from 'zod';
import type { NautobotClient } from './createNautobotClient.js';
import { type CountKey, countKeys, type InventoryCounts } from './InventoryPlan.js';
import { inventoryEndpoints } from './inventoryEndpoints.js';

const countPage = z.object({ count: z.number().int().nonnegative() });

/** How many objects of each type the seeder creates Nautobot holds now, one request per type. */
export async function countInventory(client: NautobotClient): Promise<InventoryCounts> {
  const entries = await Promise.all(
    countKeys.map(async (key): Promise<[CountKey, number]> => {
      const { path, filter } = inventoryEndpoints[key];
      const page = await client.get(path, { ...filter, limit: '1' }, countPage);
      return [key, page.count];
    }),
  );
  return Object.fromEntries(entries) as InventoryCounts;
}
