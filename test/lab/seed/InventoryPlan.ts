/**
 * The inventory the lab loads into Nautobot, as plain data. Objects refer to each other by
 * natural key (a name, a prefix, an address); the seeder turns those into Nautobot's UUIDs.
 */
/** What the seeder creates regardless of the lab's size. */
export interface Catalog {
  locationTypes: PlannedLocationType[];
  manufacturers: PlannedManufacturer[];
  deviceTypes: PlannedDeviceType[];
  platforms: PlannedPlatform[];
  roles: PlannedRole[];
  tags: PlannedTag[];
  customFields: PlannedCustomField[];
  secrets: PlannedSecret[];
  secretsGroups: PlannedSecretsGroup[];
}

export interface InventoryPlan extends Catalog {
  deviceCount: number;
  /** Every prefix and IP address lives in this namespace, which Nautobot creates itself. */
  namespace: string;
  /** Every object with a status gets this one, which Nautobot's migrations create. */
  status: string;
  /** Parents before children, so that creating them in order satisfies every `parent`. */
  locations: PlannedLocation[];
  /** Parents before children. */
  prefixes: PlannedPrefix[];
  devices: PlannedDevice[];
  /** The device that is the lab's real FRR daemon; null in a lab too small to have one. */
  labFrrDevice: string | null;
  counts: InventoryCounts;
}

/** The object types the seeder creates, in the order it creates them. */
export const countKeys = [
  'locationTypes',
  'locations',
  'manufacturers',
  'deviceTypes',
  'platforms',
  'roles',
  'tags',
  'customFields',
  'customFieldChoices',
  'secrets',
  'secretsGroups',
  'secretsGroupAssociations',
  'devices',
  'interfaces',
  'prefixes',
  'ipAddresses',
  'ipAddressAssignments',
  'goldenConfigs',
] as const;

export type CountKey = (typeof countKeys)[number];

/** How many objects of each type the seeder creates; a Record so it fits lab.json's schema. */
export type InventoryCounts = Record<CountKey, number>;

export interface PlannedLocationType {
  name: string;
  parent: string | null;
  nestable: boolean;
  contentTypes: string[];
}

export interface PlannedLocation {
  name: string;
  locationType: string;
  parent: string | null;
  description: string;
}

export interface PlannedManufacturer {
  name: string;
}

export interface PlannedDeviceType {
  model: string;
  manufacturer: string;
}

export interface PlannedPlatform {
  name: string;
  manufacturer: string;
  networkDriver: string;
}

export interface PlannedRole {
  name: string;
  color: string;
  contentTypes: string[];
}

export interface PlannedTag {
  name: string;
  color: string;
  contentTypes: string[];
}

export interface PlannedCustomField {
  key: string;
  label: string;
  type: 'text' | 'select' | 'integer';
  contentTypes: string[];
  /** Only for `select`; created through the custom-field-choices endpoint. */
  choices: string[];
}

export interface PlannedSecret {
  name: string;
  provider: 'environment-variable';
  /** May hold Jinja; Nautobot renders it with the device as `obj` when the secret is read. */
  variable: string;
}

export interface PlannedSecretsGroup {
  name: string;
  associations: PlannedSecretAssociation[];
}

export interface PlannedSecretAssociation {
  secret: string;
  accessType: 'Generic' | 'SSH';
  secretType: 'username' | 'password';
}

export interface PlannedPrefix {
  prefix: string;
  type: 'container' | 'network';
  /** The planned prefix this one sits in directly, or null for a root. */
  parent: string | null;
  location: string | null;
  description: string;
  tags: string[];
}

export interface PlannedInterface {
  name: string;
  type: string;
  purpose: 'management' | 'loopback' | 'uplink' | 'spare';
  enabled: boolean;
  mgmtOnly: boolean;
  description: string;
  /** CIDR notation, host address and the mask of its network, e.g. `10.1.0.10/24`. */
  addresses: string[];
}

export interface PlannedBgpNeighbor {
  address: string;
  remoteAs: number;
  description: string;
}

export interface PlannedDevice {
  name: string;
  site: string;
  platform: string;
  networkDriver: string;
  manufacturer: string;
  deviceType: string;
  role: string;
  serial: string;
  assetTag: string;
  tags: string[];
  customFields: DeviceCustomFields;
  secretsGroup: string;
  /** Management, loopback, uplink and spare, in that order. */
  interfaces: PlannedInterface[];
  primaryIp4: string;
  primaryIp6: string;
  /** Services the device points at; addresses in the site's management network. */
  managementGateway: string;
  ntpServer: string;
  syslogServer: string;
  bgp: { asn: number; routerId: string; neighbors: PlannedBgpNeighbor[] };
  intendedConfig: string;
}

/** Keys are the custom fields' `key`s, as Nautobot returns them in `custom_fields`. */
export interface DeviceCustomFields {
  owner_team: string;
  lifecycle_stage: string;
  bgp_asn: number;
}

/** A device before its intended configuration is rendered from it. */
export type DeviceFacts = Omit<PlannedDevice, 'intendedConfig'>;
