import { z } from 'zod';
import type { InventoryPlan } from './InventoryPlan.js';
import { collectIds, createInBulk, idOf, type SeedContext, uuid } from './seedContext.js';
import { tiersOf } from './tiersOf.js';

/** UUIDs, by natural key, of what devices, prefixes and IPs refer to. */
export interface CatalogIds {
  locations: Map<string, string>;
  deviceTypes: Map<string, string>;
  platforms: Map<string, string>;
  roles: Map<string, string>;
  tags: Map<string, string>;
  secretsGroups: Map<string, string>;
}

const named = z.object({ id: uuid, name: z.string() });

/** Everything devices refer to. Independent branches run side by side; each is a short chain. */
export async function seedCatalog(context: SeedContext, plan: InventoryPlan): Promise<CatalogIds> {
  const [locations, [deviceTypes, platforms], roles, tags, secretsGroups] = await Promise.all([
    seedLocations(context, plan),
    seedHardware(context, plan),
    seedNamed(context, 'roles', plan.roles, (role) => ({
      name: role.name,
      color: role.color,
      content_types: role.contentTypes,
    })),
    seedNamed(context, 'tags', plan.tags, (tag) => ({
      name: tag.name,
      color: tag.color,
      content_types: tag.contentTypes,
    })),
    seedSecrets(context, plan),
    seedCustomFields(context, plan),
  ]);
  return { locations, deviceTypes, platforms, roles, tags, secretsGroups };
}

async function seedNamed<T>(
  context: SeedContext,
  step: 'roles' | 'tags' | 'manufacturers' | 'secrets',
  items: readonly T[],
  toBody: (item: T) => object,
): Promise<Map<string, string>> {
  const rows = await createInBulk(context, step, items.map(toBody), named);
  return collectIds(rows, (row) => row.name);
}

async function seedLocations(context: SeedContext, plan: InventoryPlan) {
  const typeIds = new Map<string, string>();
  for (const tier of tiersOf(
    plan.locationTypes,
    (t) => t.name,
    (t) => t.parent,
  )) {
    const bodies = tier.map((type) => ({
      name: type.name,
      parent: type.parent === null ? null : idOf(typeIds, type.parent, 'location type'),
      nestable: type.nestable,
      content_types: type.contentTypes,
    }));
    collectIds(await createInBulk(context, 'locationTypes', bodies, named), (r) => r.name, typeIds);
  }
  const locationIds = new Map<string, string>();
  for (const tier of tiersOf(
    plan.locations,
    (l) => l.name,
    (l) => l.parent,
  )) {
    const bodies = tier.map((location) => ({
      name: location.name,
      location_type: idOf(typeIds, location.locationType, 'location type'),
      parent: location.parent === null ? null : idOf(locationIds, location.parent, 'location'),
      status: context.statusId,
      description: location.description,
    }));
    const rows = await createInBulk(context, 'locations', bodies, named);
    collectIds(rows, (r) => r.name, locationIds);
  }
  return locationIds;
}

async function seedHardware(context: SeedContext, plan: InventoryPlan) {
  const manufacturers = await seedNamed(context, 'manufacturers', plan.manufacturers, (m) => m);
  const manufacturer = (name: string) => idOf(manufacturers, name, 'manufacturer');
  const deviceTypeBodies = plan.deviceTypes.map((type) => ({
    model: type.model,
    manufacturer: manufacturer(type.manufacturer),
  }));
  const platformBodies = plan.platforms.map((platform) => ({
    name: platform.name,
    manufacturer: manufacturer(platform.manufacturer),
    network_driver: platform.networkDriver,
  }));
  const modelRow = z.object({ id: uuid, model: z.string() });
  const [deviceTypes, platforms] = await Promise.all([
    createInBulk(context, 'deviceTypes', deviceTypeBodies, modelRow),
    createInBulk(context, 'platforms', platformBodies, named),
  ]);
  return [collectIds(deviceTypes, (r) => r.model), collectIds(platforms, (r) => r.name)] as const;
}

async function seedCustomFields(context: SeedContext, plan: InventoryPlan): Promise<void> {
  const bodies = plan.customFields.map((field) => ({
    key: field.key,
    label: field.label,
    type: field.type,
    content_types: field.contentTypes,
  }));
  const keyRow = z.object({ id: uuid, key: z.string() });
  const ids = collectIds(await createInBulk(context, 'customFields', bodies, keyRow), (r) => r.key);
  const choices = plan.customFields.flatMap((field) =>
    field.choices.map((value, index) => ({
      custom_field: idOf(ids, field.key, 'custom field'),
      value,
      weight: (index + 1) * 100,
    })),
  );
  await createInBulk(context, 'customFieldChoices', choices, z.object({ id: uuid }));
}

async function seedSecrets(context: SeedContext, plan: InventoryPlan) {
  const [secrets, groups] = await Promise.all([
    seedNamed(context, 'secrets', plan.secrets, (secret) => ({
      name: secret.name,
      provider: secret.provider,
      parameters: { variable: secret.variable },
    })),
    createInBulk(
      context,
      'secretsGroups',
      plan.secretsGroups.map((group) => ({ name: group.name })),
      named,
    ),
  ]);
  const groupIds = collectIds(groups, (row) => row.name);
  const associations = plan.secretsGroups.flatMap((group) =>
    group.associations.map((association) => ({
      secrets_group: idOf(groupIds, group.name, 'secrets group'),
      secret: idOf(secrets, association.secret, 'secret'),
      access_type: association.accessType,
      secret_type: association.secretType,
    })),
  );
  await createInBulk(context, 'secretsGroupAssociations', associations, z.object({ id: uuid }));
  return groupIds;
}
