import { createHash } from 'node:crypto';
import type {
  CustomField,
  Device,
  Interface,
  IpAddress,
  IpAddressToInterface,
  Location,
  Prefix,
  Ref,
  Tag,
} from '@plumbline/nautobot';
import type {
  CustomFieldRow,
  DeviceRow,
  InterfaceIpRow,
  InterfaceRow,
  IpAddressRow,
  LookupKind,
  LookupRow,
  MirrorRows,
  PrefixRow,
  SiteRow,
  TagRow,
} from '../store/sotRecords.ts';
import type { Inventory } from './fetchInventory.ts';

/** Names of referenced objects: lookups (device types, platforms, ...) and tags, by UUID. */
export interface Names {
  lookups: Map<string, LookupRow>;
  tags: Map<string, string>;
}

export function namesOf(lookups: LookupRow[], tags: { id: string; name: string }[]): Names {
  return {
    lookups: new Map(lookups.map((row) => [row.id, row])),
    tags: new Map(tags.map((tag) => [tag.id, tag.name])),
  };
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/** The small tables that give names to what devices, interfaces and prefixes reference. */
export function lookupRowsOf(inventory: Inventory): LookupRow[] {
  const row = (
    kind: LookupKind,
    o: { id: string; last_updated: string | null },
    name: string,
    detail: Record<string, string | null> = {},
  ): LookupRow => ({ id: o.id, kind, name, detail, lastUpdatedMs: ms(o.last_updated) });
  return [
    ...inventory.manufacturers.map((o) => row('manufacturer', o, o.name)),
    ...inventory.deviceTypes.map((o) =>
      row('deviceType', o, o.model, { manufacturerId: o.manufacturer.id }),
    ),
    ...inventory.platforms.map((o) =>
      row('platform', o, o.name, { networkDriver: o.network_driver || null }),
    ),
    ...inventory.roles.map((o) => row('role', o, o.name)),
    ...inventory.statuses.map((o) => row('status', o, o.name)),
    ...inventory.locationTypes.map((o) => row('locationType', o, o.name)),
    ...inventory.namespaces.map((o) => row('namespace', o, o.name)),
  ];
}

/** A fingerprint of the names: when one changes, rows mapped earlier may hold a stale name. */
export function hashNames(lookups: LookupRow[], tags: TagRow[]): string {
  const parts = [
    ...lookups.map((l) => `${l.id} ${l.kind} ${l.name} ${JSON.stringify(l.detail)}`),
    ...tags.map((t) => `${t.id} tag ${t.name}`),
  ].sort();
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Maps everything a run read into mirror rows. Pure: the same inventory gives the same rows. */
export function mapInventory(inventory: Inventory): MirrorRows {
  const lookups = lookupRowsOf(inventory);
  const tags = inventory.tags.map(toTagRow);
  const names = namesOf(lookups, tags);
  return {
    lookups,
    tags,
    customFields: inventory.customFields.map(toCustomFieldRow),
    sites: inventory.locations.map((o) => toSiteRow(o, names)),
    devices: inventory.devices.map((o) => toDeviceRow(o, names)),
    interfaces: inventory.interfaces.map((o) => toInterfaceRow(o, names)),
    ipAddresses: inventory.ipAddresses.map((o) => toIpAddressRow(o, names)),
    interfaceIps: inventory.ipAddressToInterface.flatMap(toInterfaceIpRows),
    prefixes: inventory.prefixes.map((o) => toPrefixRow(o, names)),
  };
}

function nameOf(names: Names, ref: Ref | null | undefined): string | null {
  return ref ? (names.lookups.get(ref.id)?.name ?? null) : null;
}

function tagNames(names: Names, refs: Ref[]): string[] {
  return refs.map((ref) => names.tags.get(ref.id) ?? ref.id).sort();
}

export function toTagRow(o: Tag): TagRow {
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    name: o.name,
    color: o.color,
    contentTypes: [...o.content_types].sort(),
    description: o.description,
  };
}

export function toCustomFieldRow(o: CustomField): CustomFieldRow {
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    key: o.key,
    label: o.label,
    type: o.type.value,
    contentTypes: [...o.content_types].sort(),
    required: o.required,
    defaultValue: o.default ?? null,
    description: o.description,
  };
}

export function toSiteRow(o: Location, names: Names): SiteRow {
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    name: o.name,
    locationType: nameOf(names, o.location_type),
    parentId: o.parent?.id ?? null,
    status: nameOf(names, o.status),
    description: o.description,
    facility: o.facility,
    timeZone: o.time_zone,
    tags: tagNames(names, o.tags),
    customFields: o.custom_fields,
  };
}

export function toDeviceRow(o: Device, names: Names): DeviceRow {
  const deviceType = names.lookups.get(o.device_type.id);
  const manufacturerId = deviceType?.detail.manufacturerId;
  const platform = o.platform ? names.lookups.get(o.platform.id) : undefined;
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    hostname: o.name,
    vendor: manufacturerId ? (names.lookups.get(manufacturerId)?.name ?? null) : null,
    model: deviceType?.name ?? null,
    role: nameOf(names, o.role),
    siteId: o.location.id,
    serial: o.serial,
    assetTag: o.asset_tag,
    platform: platform?.name ?? null,
    networkDriver: platform?.detail.networkDriver ?? null,
    status: nameOf(names, o.status),
    primaryIp4Id: o.primary_ip4?.id ?? null,
    primaryIp6Id: o.primary_ip6?.id ?? null,
    tags: tagNames(names, o.tags),
    customFields: o.custom_fields,
  };
}

export function toInterfaceRow(o: Interface, names: Names): InterfaceRow {
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    deviceId: o.device.id,
    name: o.name,
    type: o.type.value,
    enabled: o.enabled,
    status: nameOf(names, o.status),
    mtu: o.mtu,
    macAddress: o.mac_address,
    description: o.description,
    mgmtOnly: o.mgmt_only,
    mode: o.mode?.value ?? null,
    lagId: o.lag?.id ?? null,
    parentInterfaceId: o.parent_interface?.id ?? null,
    tags: tagNames(names, o.tags),
    customFields: o.custom_fields,
  };
}

export function toIpAddressRow(o: IpAddress, names: Names): IpAddressRow {
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    address: o.address,
    host: o.host,
    maskLength: o.mask_length,
    ipVersion: o.ip_version,
    type: o.type,
    status: nameOf(names, o.status),
    role: nameOf(names, o.role),
    parentPrefixId: o.parent.id,
    dnsName: o.dns_name,
    description: o.description,
    tags: tagNames(names, o.tags),
    customFields: o.custom_fields,
  };
}

/** Keyed by the pair, not Nautobot's link id, so webhooks (which show only the pair) agree. */
export function interfaceIpId(interfaceId: string, ipAddressId: string): string {
  return `${interfaceId}/${ipAddressId}`;
}

export function toInterfaceIpRows(o: IpAddressToInterface): InterfaceIpRow[] {
  if (o.interface === null) return [];
  return [
    {
      id: interfaceIpId(o.interface.id, o.ip_address.id),
      lastUpdatedMs: null,
      interfaceId: o.interface.id,
      ipAddressId: o.ip_address.id,
      isPrimary: o.is_primary,
    },
  ];
}

export function toPrefixRow(o: Prefix, names: Names): PrefixRow {
  return {
    id: o.id,
    lastUpdatedMs: ms(o.last_updated),
    prefix: o.prefix,
    ipVersion: o.ip_version,
    type: o.type.value,
    status: nameOf(names, o.status),
    role: nameOf(names, o.role),
    parentId: o.parent?.id ?? null,
    namespace: nameOf(names, o.namespace),
    description: o.description,
    tags: tagNames(names, o.tags),
    customFields: o.custom_fields,
  };
}
