import {
  customFieldSchema,
  deviceSchema,
  interfaceSchema,
  ipAddressSchema,
  locationSchema,
  prefixSchema,
  tagSchema,
} from '@plumbline/nautobot';
import type { WebhookMirrorEvent } from '../store/SotStore.ts';
import type { InterfaceIpRow, LookupKind, LookupRow, TagRow } from '../store/sotRecords.ts';
import {
  interfaceIpId,
  namesOf,
  toCustomFieldRow,
  toDeviceRow,
  toInterfaceRow,
  toIpAddressRow,
  toPrefixRow,
  toSiteRow,
  toTagRow,
} from './mapInventory.ts';
import type { WebhookEvent } from './webhookEventSchema.ts';

/** Webhook `model` names of the lookups, by the kind the mirror files them under. */
const lookupKinds: Record<string, LookupKind> = {
  manufacturer: 'manufacturer',
  devicetype: 'deviceType',
  platform: 'platform',
  role: 'role',
  status: 'status',
  locationtype: 'locationType',
  namespace: 'namespace',
};
const lookupKindOfType: Record<string, LookupKind> = {
  'dcim.manufacturer': 'manufacturer',
  'dcim.devicetype': 'deviceType',
  'dcim.platform': 'platform',
  'extras.role': 'role',
  'extras.status': 'status',
  'dcim.locationtype': 'locationType',
  'ipam.namespace': 'namespace',
};

const tableOfModel = {
  location: 'sites',
  device: 'devices',
  interface: 'interfaces',
  ipaddress: 'ipAddresses',
  prefix: 'prefixes',
  tag: 'tags',
  customfield: 'customFields',
} as const;

/** What a webhook event means for the mirror: one change, or nothing (a model not mirrored). */
export type MirrorEffect = { kind: 'change'; event: WebhookMirrorEvent } | { kind: 'ignored' };

/**
 * Maps a webhook event onto the same rows a sync writes. `data` is depth 1: each reference is
 * the referenced object itself (with `id`, so the depth-0 models parse it), and m2m fields are
 * present, so an interface's or address's links come with it. Names come from the mirror's
 * lookups plus whatever the nested objects carry; a name found in neither stays null until the
 * next sync (the lookups hash then forces a full run).
 */
export function mapWebhookEvent(
  event: WebhookEvent,
  stored: { lookups: LookupRow[]; tags: TagRow[] },
): MirrorEffect {
  const id = event.data.id;
  const eventTimeMs = event.timestamp;
  const lookupKind = lookupKinds[event.model];
  const table = lookupKind ? 'lookups' : tableOfModel[event.model as keyof typeof tableOfModel];
  if (table === undefined) return { kind: 'ignored' };
  if (event.event === 'deleted') {
    return { kind: 'change', event: { action: 'delete', table, id, eventTimeMs } };
  }

  const nested = nestedNames(event.data);
  const names = namesOf([...stored.lookups, ...nested.lookups], [...stored.tags, ...nested.tags]);
  const upsert = (row: WebhookMirrorEvent & { action: 'upsert' }) => ({
    kind: 'change' as const,
    event: row,
  });
  const base = { action: 'upsert' as const, id, eventTimeMs };
  const data = event.data;
  switch (table) {
    case 'lookups': {
      const row = lookupRow(lookupKind as LookupKind, data);
      return row ? upsert({ ...base, table, row }) : { kind: 'ignored' };
    }
    case 'sites':
      return upsert({ ...base, table, row: toSiteRow(locationSchema.parse(data), names) });
    case 'devices':
      return upsert({ ...base, table, row: toDeviceRow(deviceSchema.parse(data), names) });
    case 'interfaces':
      return upsert({
        ...base,
        table,
        row: toInterfaceRow(interfaceSchema.parse(data), names),
        ...linksOf(data, 'ip_addresses', 'interface', id),
      });
    case 'ipAddresses':
      return upsert({
        ...base,
        table,
        row: toIpAddressRow(ipAddressSchema.parse(data), names),
        ...linksOf(data, 'interfaces', 'ipAddress', id),
      });
    case 'prefixes':
      return upsert({ ...base, table, row: toPrefixRow(prefixSchema.parse(data), names) });
    case 'tags':
      return upsert({ ...base, table, row: toTagRow(tagSchema.parse(data)) });
    case 'customFields':
      return upsert({ ...base, table, row: toCustomFieldRow(customFieldSchema.parse(data)) });
  }
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' ? value : null);
const ms = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : null);

function lookupRow(kind: LookupKind, o: Loose): LookupRow | undefined {
  const id = text(o.id);
  const name = kind === 'deviceType' ? text(o.model) : text(o.name);
  if (id === null || name === null) return undefined;
  const detail: Record<string, string | null> = {};
  if (kind === 'deviceType') {
    detail.manufacturerId = isObject(o.manufacturer) ? text(o.manufacturer.id) : null;
  }
  if (kind === 'platform') detail.networkDriver = text(o.network_driver) || null;
  return { id, kind, name, detail, lastUpdatedMs: ms(o.last_updated) };
}

/** Lookups and tag names carried by the nested objects of depth-1 data. */
function nestedNames(data: Loose): { lookups: LookupRow[]; tags: { id: string; name: string }[] } {
  const lookups: LookupRow[] = [];
  for (const value of Object.values(data)) {
    if (!isObject(value)) continue;
    const kind = lookupKindOfType[text(value.object_type) ?? ''];
    const row = kind && lookupRow(kind, value);
    if (row) lookups.push(row);
  }
  const tags = (Array.isArray(data.tags) ? data.tags : []).flatMap((tag) => {
    const id = isObject(tag) ? text(tag.id) : null;
    const name = isObject(tag) ? text(tag.name) : null;
    return id !== null && name !== null ? [{ id, name }] : [];
  });
  return { lookups, tags };
}

/** The links an interface (`ip_addresses`) or address (`interfaces`) event carries, if any. */
function linksOf(
  data: Loose,
  field: 'ip_addresses' | 'interfaces',
  side: 'interface' | 'ipAddress',
  ownerId: string,
): { links?: { side: 'interface' | 'ipAddress'; ownerId: string; rows: InterfaceIpRow[] } } {
  const list = data[field];
  if (!Array.isArray(list)) return {};
  const rows = list.flatMap((other): InterfaceIpRow[] => {
    const otherId = isObject(other) ? text(other.id) : null;
    if (otherId === null) return [];
    const interfaceId = side === 'interface' ? ownerId : otherId;
    const ipAddressId = side === 'interface' ? otherId : ownerId;
    return [
      {
        id: interfaceIpId(interfaceId, ipAddressId),
        lastUpdatedMs: null,
        interfaceId,
        ipAddressId,
        isPrimary: false,
      },
    ];
  });
  return { links: { side, ownerId, rows } };
}
