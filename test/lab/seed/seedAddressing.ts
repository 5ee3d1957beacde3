import { z } from 'zod';
import type { InventoryPlan } from './InventoryPlan.js';
import type { CatalogIds } from './seedCatalog.js';
import {
  collectIds,
  createInBulk,
  idOf,
  type SeedContext,
  updateInBulk,
  uuid,
} from './seedContext.js';
import { interfaceKey } from './seedDevices.js';
import { tiersOf } from './tiersOf.js';

/**
 * Prefixes tier by tier, since Nautobot computes each prefix's parent when it is saved; then
 * the addresses, which need their parent network to exist; then the links to interfaces.
 * Returns address → UUID.
 */
export async function seedAddressing(
  context: SeedContext,
  plan: InventoryPlan,
  ids: CatalogIds,
  interfaceIds: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  await seedPrefixes(context, plan, ids);

  const assignments = plan.devices.flatMap((device) =>
    device.interfaces.flatMap((planned) =>
      planned.addresses.map((address) => ({
        address,
        interfaceId: idOf(interfaceIds, interfaceKey(device.name, planned.name), 'interface'),
      })),
    ),
  );
  const addressBodies = assignments.map(({ address }) => ({
    address,
    namespace: context.namespaceId,
    status: context.statusId,
    type: 'host',
  }));
  const addressRow = z.object({ id: uuid, address: z.string() });
  const rows = await createInBulk(context, 'ipAddresses', addressBodies, addressRow);
  const addressIds = collectIds(rows, (row) => row.address);

  const links = assignments.map(({ address, interfaceId }) => ({
    ip_address: idOf(addressIds, address, 'IP address'),
    interface: interfaceId,
  }));
  await createInBulk(context, 'ipAddressAssignments', links, z.object({ id: uuid }));
  return addressIds;
}

async function seedPrefixes(context: SeedContext, plan: InventoryPlan, ids: CatalogIds) {
  const prefixRow = z.object({ id: uuid, prefix: z.string() });
  for (const tier of tiersOf(
    plan.prefixes,
    (p) => p.prefix,
    (p) => p.parent,
  )) {
    const bodies = tier.map((planned) => ({
      prefix: planned.prefix,
      type: planned.type,
      namespace: context.namespaceId,
      status: context.statusId,
      location:
        planned.location === null ? null : idOf(ids.locations, planned.location, 'location'),
      description: planned.description,
      tags: planned.tags.map((tag) => idOf(ids.tags, tag, 'tag')),
    }));
    await createInBulk(context, 'prefixes', bodies, prefixRow);
  }
}

/** `primary_ip4/6` must name an IP already on one of the device's interfaces. */
export async function setPrimaryIps(
  context: SeedContext,
  plan: InventoryPlan,
  deviceIds: ReadonlyMap<string, string>,
  addressIds: ReadonlyMap<string, string>,
): Promise<void> {
  const bodies = plan.devices.map((device) => ({
    id: idOf(deviceIds, device.name, 'device'),
    primary_ip4: idOf(addressIds, device.primaryIp4, 'IP address'),
    primary_ip6: idOf(addressIds, device.primaryIp6, 'IP address'),
  }));
  await updateInBulk(context, 'primaryIps', '/api/dcim/devices/', bodies);
}
