import { z } from 'zod';
import type { InventoryPlan } from './InventoryPlan.js';
import type { CatalogIds } from './seedCatalog.js';
import { collectIds, createInBulk, idOf, type SeedContext, uuid } from './seedContext.js';

const deviceRow = z.object({ id: uuid, name: z.string() });
const interfaceRow = z.object({ id: uuid, name: z.string(), device: z.object({ id: uuid }) });

/** Device name → UUID. */
export async function seedDevices(
  context: SeedContext,
  plan: InventoryPlan,
  ids: CatalogIds,
): Promise<Map<string, string>> {
  const bodies = plan.devices.map((device) => ({
    name: device.name,
    device_type: idOf(ids.deviceTypes, device.deviceType, 'device type'),
    role: idOf(ids.roles, device.role, 'role'),
    platform: idOf(ids.platforms, device.platform, 'platform'),
    location: idOf(ids.locations, device.site, 'location'),
    status: context.statusId,
    serial: device.serial,
    asset_tag: device.assetTag,
    tags: device.tags.map((tag) => idOf(ids.tags, tag, 'tag')),
    custom_fields: device.customFields,
    secrets_group: idOf(ids.secretsGroups, device.secretsGroup, 'secrets group'),
  }));
  const rows = await createInBulk(context, 'devices', bodies, deviceRow);
  return collectIds(rows, (row) => row.name);
}

/** The key under which `seedInterfaces` files an interface's UUID. */
export function interfaceKey(deviceName: string, interfaceName: string): string {
  return `${deviceName} ${interfaceName}`;
}

/** `interfaceKey(device, interface)` → UUID. */
export async function seedInterfaces(
  context: SeedContext,
  plan: InventoryPlan,
  deviceIds: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const bodies = plan.devices.flatMap((device) =>
    device.interfaces.map((planned) => ({
      device: idOf(deviceIds, device.name, 'device'),
      name: planned.name,
      type: planned.type,
      status: context.statusId,
      enabled: planned.enabled,
      mgmt_only: planned.mgmtOnly,
      description: planned.description,
    })),
  );
  const rows = await createInBulk(context, 'interfaces', bodies, interfaceRow);
  const deviceNames = new Map([...deviceIds].map(([name, id]) => [id, name]));
  return collectIds(rows, (row) => interfaceKey(deviceNames.get(row.device.id) ?? '?', row.name));
}

/** Golden Config's serializer takes `intended_config` directly, so no Git repository is needed. */
export async function seedGoldenConfigs(
  context: SeedContext,
  plan: InventoryPlan,
  deviceIds: ReadonlyMap<string, string>,
): Promise<void> {
  const bodies = plan.devices.map((device) => ({
    device: idOf(deviceIds, device.name, 'device'),
    intended_config: device.intendedConfig,
  }));
  await createInBulk(context, 'goldenConfigs', bodies, z.object({ id: uuid }));
}
