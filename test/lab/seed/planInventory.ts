import { maxDevicesPerSite, maxSites } from './addressing.js';
import type {
  Catalog,
  InventoryCounts,
  InventoryPlan,
  PlannedDevice,
  PlannedLocation,
} from './InventoryPlan.js';
import { renderIntendedConfig } from './intendedConfig.js';
import { labFrrGroup, planCatalog, regionType, siteType } from './planCatalog.js';
import { planDevice } from './planDevice.js';
import { planPrefixes } from './planPrefixes.js';
import { type PlannedSite, planSites, regions, siteCountFor } from './planSites.js';
import { platforms } from './platforms.js';

/** The size the lab seeds; the benchmark passes a larger one. */
export const defaultDeviceCount = 12;
export const maxDeviceCount = maxSites * maxDevicesPerSite;

/**
 * The inventory for a lab of `deviceCount` devices. Pure: the same size always gives a deep-equal
 * plan, so a test can recompute what the seeder loaded instead of reading it back from the lab.
 */
export function planInventory(deviceCount: number = defaultDeviceCount): InventoryPlan {
  if (!Number.isInteger(deviceCount) || deviceCount < 1 || deviceCount > maxDeviceCount) {
    throw new RangeError(
      `device count must be an integer from 1 to ${maxDeviceCount}, got ${deviceCount}`,
    );
  }
  const catalog = planCatalog();
  const sites = planSites(siteCountFor(deviceCount));
  const devices = planDevices(deviceCount, sites);
  const prefixes = planPrefixes(sites);
  const locations = planLocations(sites);
  const labFrr = devices.find((device) => device.secretsGroup === labFrrGroup);
  return {
    deviceCount,
    namespace: 'Global',
    status: 'Active',
    ...catalog,
    locations,
    prefixes,
    devices,
    labFrrDevice: labFrr?.name ?? null,
    counts: countInventory(catalog, locations, prefixes.length, devices),
  };
}

/**
 * Sites fill up one after the other while platforms go round-robin, so even a small lab has
 * every platform and every site has a mix of them. The first FRR device is the lab's real one.
 */
function planDevices(deviceCount: number, sites: readonly PlannedSite[]): PlannedDevice[] {
  const perSite = Math.ceil(deviceCount / sites.length);
  const ordinals = new Map<string, number>();
  const devices: PlannedDevice[] = [];
  for (let index = 0; index < deviceCount; index++) {
    const site = sites[Math.floor(index / perSite)];
    const platform = platforms[index % platforms.length];
    if (site === undefined || platform === undefined) throw new Error('unreachable: index range');
    const key = `${site.name}/${platform.slug}`;
    const ordinal = (ordinals.get(key) ?? 0) + 1;
    ordinals.set(key, ordinal);
    const isLabFrr = platform.slug === 'frr' && index < platforms.length;
    const facts = planDevice({ index, site, slot: index % perSite, ordinal, platform, isLabFrr });
    devices.push({ ...facts, intendedConfig: renderIntendedConfig(facts) });
  }
  return devices;
}

function planLocations(sites: readonly PlannedSite[]): PlannedLocation[] {
  return [
    ...regions.map((name) => ({
      name,
      locationType: regionType,
      parent: null,
      description: `${name} region`,
    })),
    ...sites.map((site) => ({
      name: site.name,
      locationType: siteType,
      parent: site.region,
      description: `Lab site ${site.number}`,
    })),
  ];
}

function countInventory(
  catalog: Catalog,
  locations: readonly PlannedLocation[],
  prefixCount: number,
  devices: readonly PlannedDevice[],
): InventoryCounts {
  const interfaces = devices.flatMap((device) => device.interfaces);
  const addressCount = interfaces.reduce((sum, item) => sum + item.addresses.length, 0);
  return {
    locationTypes: catalog.locationTypes.length,
    locations: locations.length,
    manufacturers: catalog.manufacturers.length,
    deviceTypes: catalog.deviceTypes.length,
    platforms: catalog.platforms.length,
    roles: catalog.roles.length,
    tags: catalog.tags.length,
    customFields: catalog.customFields.length,
    customFieldChoices: catalog.customFields.reduce((sum, f) => sum + f.choices.length, 0),
    secrets: catalog.secrets.length,
    secretsGroups: catalog.secretsGroups.length,
    secretsGroupAssociations: catalog.secretsGroups.reduce(
      (sum, group) => sum + group.associations.length,
      0,
    ),
    devices: devices.length,
    interfaces: interfaces.length,
    prefixes: prefixCount,
    ipAddresses: addressCount,
    // Every planned address sits on exactly one interface.
    ipAddressAssignments: addressCount,
    goldenConfigs: devices.length,
  };
}
