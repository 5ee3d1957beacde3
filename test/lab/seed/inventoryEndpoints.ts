import type { CountKey } from './InventoryPlan.js';

export interface InventoryEndpoint {
  path: string;
  /** Narrows the list to what the seeder creates, where Nautobot ships objects of its own. */
  filter: Record<string, string>;
}

const all = {};

/** Where each counted object type lives in the REST API. */
export const inventoryEndpoints: Record<CountKey, InventoryEndpoint> = {
  locationTypes: { path: '/api/dcim/location-types/', filter: all },
  locations: { path: '/api/dcim/locations/', filter: all },
  manufacturers: { path: '/api/dcim/manufacturers/', filter: all },
  deviceTypes: { path: '/api/dcim/device-types/', filter: all },
  platforms: { path: '/api/dcim/platforms/', filter: all },
  // Migrations create 20 roles for IPs, contacts and VPNs, but none for devices.
  roles: { path: '/api/extras/roles/', filter: { content_types: 'dcim.device' } },
  tags: { path: '/api/extras/tags/', filter: all },
  customFields: { path: '/api/extras/custom-fields/', filter: all },
  customFieldChoices: { path: '/api/extras/custom-field-choices/', filter: all },
  secrets: { path: '/api/extras/secrets/', filter: all },
  secretsGroups: { path: '/api/extras/secrets-groups/', filter: all },
  secretsGroupAssociations: { path: '/api/extras/secrets-groups-associations/', filter: all },
  devices: { path: '/api/dcim/devices/', filter: all },
  interfaces: { path: '/api/dcim/interfaces/', filter: all },
  prefixes: { path: '/api/ipam/prefixes/', filter: all },
  ipAddresses: { path: '/api/ipam/ip-addresses/', filter: all },
  ipAddressAssignments: { path: '/api/ipam/ip-address-to-interface/', filter: all },
  goldenConfigs: { path: '/api/plugins/golden-config/golden-config/', filter: all },
};
