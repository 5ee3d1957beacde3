/**
 * Integrations, sync runs and mirror rows as the rest of the cloud sees them. Secrets (the API
 * token, the webhook secret) are not part of any record: they are opened on purpose, one call
 * at a time, by the code that needs them.
 */

export type IntegrationStatus = 'unknown' | 'green' | 'red';

export interface Integration {
  id: string;
  tenantId: string;
  name: string;
  baseUrl: string;
  tokenLast4: string;
  reachableViaAgentId: string | null;
  enabled: boolean;
  resyncIntervalMs: number;
  webhookSlug: string;
  status: IntegrationStatus;
  statusCode: string | null;
  statusMessage: string | null;
  nautobotVersion: string | null;
  apiVersion: string | null;
  deviceCount: number | null;
  probedAt: number | null;
  syncWatermark: string | null;
  lastSyncAt: number | null;
  lastFullSyncAt: number | null;
  lookupsHash: string | null;
  createdAt: number;
  updatedAt: number;
}

export type SyncState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type SyncMode = 'full' | 'incremental';
export type SyncTrigger = 'manual' | 'schedule';

export interface SyncRun {
  id: string;
  tenantId: string;
  integrationId: string;
  state: SyncState;
  mode: SyncMode;
  trigger: SyncTrigger;
  fetched: number;
  total: number;
  counts: Record<string, number>;
  errorCode: string | null;
  errorMessage: string | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** Common to every mirror row: the Nautobot UUID and Nautobot's `last_updated` in ms. */
interface MirrorRowBase {
  id: string;
  lastUpdatedMs: number | null;
}

export type LookupKind =
  | 'manufacturer'
  | 'deviceType'
  | 'platform'
  | 'role'
  | 'status'
  | 'locationType'
  | 'namespace';

export interface LookupRow extends MirrorRowBase {
  kind: LookupKind;
  name: string;
  /** `{manufacturerId}` for a device type, `{networkDriver}` for a platform, else `{}`. */
  detail: Record<string, string | null>;
}

export interface SiteRow extends MirrorRowBase {
  name: string;
  locationType: string | null;
  parentId: string | null;
  status: string | null;
  description: string;
  facility: string;
  timeZone: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface DeviceRow extends MirrorRowBase {
  hostname: string | null;
  vendor: string | null;
  model: string | null;
  role: string | null;
  siteId: string | null;
  serial: string;
  assetTag: string | null;
  platform: string | null;
  networkDriver: string | null;
  status: string | null;
  primaryIp4Id: string | null;
  primaryIp6Id: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface InterfaceRow extends MirrorRowBase {
  deviceId: string;
  name: string;
  type: string;
  enabled: boolean;
  status: string | null;
  mtu: number | null;
  macAddress: string | null;
  description: string;
  mgmtOnly: boolean;
  mode: string | null;
  lagId: string | null;
  parentInterfaceId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface IpAddressRow extends MirrorRowBase {
  address: string;
  host: string;
  maskLength: number;
  ipVersion: number;
  type: string;
  status: string | null;
  role: string | null;
  parentPrefixId: string | null;
  dnsName: string;
  description: string;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface InterfaceIpRow extends MirrorRowBase {
  interfaceId: string;
  ipAddressId: string;
  isPrimary: boolean;
}

export interface PrefixRow extends MirrorRowBase {
  prefix: string;
  ipVersion: number;
  type: string;
  status: string | null;
  role: string | null;
  parentId: string | null;
  namespace: string | null;
  description: string;
  tags: string[];
  customFields: Record<string, unknown>;
}

export interface TagRow extends MirrorRowBase {
  name: string;
  color: string;
  contentTypes: string[];
  description: string;
}

export interface CustomFieldRow extends MirrorRowBase {
  key: string;
  label: string;
  type: string;
  contentTypes: string[];
  required: boolean;
  defaultValue: unknown;
  description: string;
}

/** The mirror's tables, by name; the same names the sync counts objects under. */
export interface MirrorRows {
  lookups: LookupRow[];
  sites: SiteRow[];
  devices: DeviceRow[];
  interfaces: InterfaceRow[];
  ipAddresses: IpAddressRow[];
  interfaceIps: InterfaceIpRow[];
  prefixes: PrefixRow[];
  tags: TagRow[];
  customFields: CustomFieldRow[];
}

export type MirrorTable = keyof MirrorRows;

export const mirrorTables: MirrorTable[] = [
  'lookups',
  'sites',
  'devices',
  'interfaces',
  'ipAddresses',
  'interfaceIps',
  'prefixes',
  'tags',
  'customFields',
];

/**
 * What one sync run writes. `full`: `rows` is everything, and the mirror becomes exactly that
 * (except what a webhook wrote after `startedAt`). `incremental`: `rows` are the objects that
 * changed, `replace` names the tables read whole (replaced like a full run), and `deleted` the
 * ids Nautobot's change log says were deleted.
 */
export interface MirrorChange {
  mode: 'full' | 'incremental';
  rows: MirrorRows;
  replace: MirrorTable[];
  deleted: Partial<Record<MirrorTable, string[]>>;
  /** The cloud's clock when the run began fetching. */
  startedAt: number;
}

/** A device as the read API shows it: its interfaces, each with its addresses. */
export interface DeviceDetail {
  device: DeviceRow & { site: string | null; primaryIp4: string | null; primaryIp6: string | null };
  interfaces: (InterfaceRow & { ipAddresses: { id: string; address: string }[] })[];
}
