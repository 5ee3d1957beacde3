import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenants } from './schema.ts';

/**
 * Source-of-truth integrations (a tenant's Nautobot), their sync runs, and the mirror of what
 * each one holds. Mirror rows are keyed by (integration, Nautobot UUID) and carry `tenant_id`
 * so every read can be bound to the tenant. Deleting an integration deletes its mirror
 * (ON DELETE CASCADE). `last_updated_ms` is Nautobot's own `last_updated`, used so that an older
 * webhook never overwrites newer data; `applied_at` is the cloud's clock when the row was written,
 * so a sync does not undo what a webhook applied while the sync was fetching.
 */

export const sotIntegrations = sqliteTable(
  'sot_integrations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    baseUrl: text('base_url').notNull(),
    /** The Nautobot API token, sealed with context `integration:<id>:token`. */
    tokenSealed: text('token_sealed').notNull(),
    /** The token's last four characters, so a person can tell which one is set. */
    tokenLast4: text('token_last4').notNull(),
    reachableViaAgentId: text('reachable_via_agent_id'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    resyncIntervalMs: integer('resync_interval_ms').notNull(),
    /** Globally unique path segment of the webhook URL. */
    webhookSlug: text('webhook_slug').notNull().unique(),
    /** HMAC key of `X-Hook-Signature`, sealed with context `integration:<id>:webhook`. */
    webhookSecretSealed: text('webhook_secret_sealed').notNull(),
    status: text('status', { enum: ['unknown', 'green', 'red'] }).notNull(),
    statusCode: text('status_code'),
    statusMessage: text('status_message'),
    nautobotVersion: text('nautobot_version'),
    apiVersion: text('api_version'),
    deviceCount: integer('device_count'),
    probedAt: integer('probed_at'),
    /** Nautobot's clock: objects changed at or after this are read again by an incremental run. */
    syncWatermark: text('sync_watermark'),
    lastSyncAt: integer('last_sync_at'),
    lastFullSyncAt: integer('last_full_sync_at'),
    /** Hash of the small lookup tables at the last sync; a change forces a full run. */
    lookupsHash: text('lookups_hash'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('sot_integrations_tenant').on(table.tenantId)],
);

const integrationRef = () =>
  text('integration_id')
    .notNull()
    .references(() => sotIntegrations.id, { onDelete: 'cascade' });

export const sotSyncRuns = sqliteTable(
  'sot_sync_runs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    integrationId: integrationRef(),
    state: text('state', {
      enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'],
    }).notNull(),
    mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
    trigger: text('trigger', { enum: ['manual', 'schedule'] }).notNull(),
    fetched: integer('fetched').notNull(),
    total: integer('total').notNull(),
    /** JSON: objects per type after the run (or fetched so far). */
    counts: text('counts').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    queuedAt: integer('queued_at').notNull(),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
  },
  (table) => [index('sot_sync_runs_integration').on(table.integrationId, table.queuedAt)],
);

const mirrorColumns = () => ({
  tenantId: text('tenant_id').notNull(),
  integrationId: integrationRef(),
  id: text('id').notNull(),
  lastUpdatedMs: integer('last_updated_ms'),
  appliedAt: integer('applied_at').notNull(),
});

/** Small tables the mirror resolves names from: manufacturers, device types, platforms... */
export const sotLookups = sqliteTable(
  'sot_lookups',
  {
    ...mirrorColumns(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** JSON: manufacturerId of a device type, networkDriver of a platform. */
    detail: text('detail').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_lookups_pk', columns: [t.integrationId, t.id] })],
);

export const sotSites = sqliteTable(
  'sot_sites',
  {
    ...mirrorColumns(),
    name: text('name').notNull(),
    locationType: text('location_type'),
    parentId: text('parent_id'),
    status: text('status'),
    description: text('description').notNull(),
    facility: text('facility').notNull(),
    timeZone: text('time_zone'),
    tags: text('tags').notNull(),
    customFields: text('custom_fields').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_sites_pk', columns: [t.integrationId, t.id] })],
);

export const sotDevices = sqliteTable(
  'sot_devices',
  {
    ...mirrorColumns(),
    hostname: text('hostname'),
    vendor: text('vendor'),
    model: text('model'),
    role: text('role'),
    siteId: text('site_id'),
    serial: text('serial').notNull(),
    assetTag: text('asset_tag'),
    platform: text('platform'),
    networkDriver: text('network_driver'),
    status: text('status'),
    primaryIp4Id: text('primary_ip4_id'),
    primaryIp6Id: text('primary_ip6_id'),
    tags: text('tags').notNull(),
    customFields: text('custom_fields').notNull(),
  },
  (t) => [
    primaryKey({ name: 'sot_devices_pk', columns: [t.integrationId, t.id] }),
    index('sot_devices_tenant').on(t.tenantId, t.integrationId, t.hostname),
  ],
);

export const sotInterfaces = sqliteTable(
  'sot_interfaces',
  {
    ...mirrorColumns(),
    deviceId: text('device_id').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    status: text('status'),
    mtu: integer('mtu'),
    macAddress: text('mac_address'),
    description: text('description').notNull(),
    mgmtOnly: integer('mgmt_only', { mode: 'boolean' }).notNull(),
    mode: text('mode'),
    lagId: text('lag_id'),
    parentInterfaceId: text('parent_interface_id'),
    tags: text('tags').notNull(),
    customFields: text('custom_fields').notNull(),
  },
  (t) => [
    primaryKey({ name: 'sot_interfaces_pk', columns: [t.integrationId, t.id] }),
    index('sot_interfaces_device').on(t.integrationId, t.deviceId),
  ],
);

export const sotIpAddresses = sqliteTable(
  'sot_ip_addresses',
  {
    ...mirrorColumns(),
    address: text('address').notNull(),
    host: text('host').notNull(),
    maskLength: integer('mask_length').notNull(),
    ipVersion: integer('ip_version').notNull(),
    type: text('type').notNull(),
    status: text('status'),
    role: text('role'),
    parentPrefixId: text('parent_prefix_id'),
    dnsName: text('dns_name').notNull(),
    description: text('description').notNull(),
    tags: text('tags').notNull(),
    customFields: text('custom_fields').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_ip_addresses_pk', columns: [t.integrationId, t.id] })],
);

/** Which address sits on which interface (Nautobot's ip-address-to-interface). */
export const sotInterfaceIps = sqliteTable(
  'sot_interface_ips',
  {
    ...mirrorColumns(),
    interfaceId: text('interface_id').notNull(),
    ipAddressId: text('ip_address_id').notNull(),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'sot_interface_ips_pk', columns: [t.integrationId, t.id] }),
    index('sot_interface_ips_interface').on(t.integrationId, t.interfaceId),
  ],
);

export const sotPrefixes = sqliteTable(
  'sot_prefixes',
  {
    ...mirrorColumns(),
    prefix: text('prefix').notNull(),
    ipVersion: integer('ip_version').notNull(),
    type: text('type').notNull(),
    status: text('status'),
    role: text('role'),
    parentId: text('parent_id'),
    namespace: text('namespace'),
    description: text('description').notNull(),
    tags: text('tags').notNull(),
    customFields: text('custom_fields').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_prefixes_pk', columns: [t.integrationId, t.id] })],
);

export const sotTags = sqliteTable(
  'sot_tags',
  {
    ...mirrorColumns(),
    name: text('name').notNull(),
    color: text('color').notNull(),
    contentTypes: text('content_types').notNull(),
    description: text('description').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_tags_pk', columns: [t.integrationId, t.id] })],
);

export const sotCustomFields = sqliteTable(
  'sot_custom_fields',
  {
    ...mirrorColumns(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type').notNull(),
    contentTypes: text('content_types').notNull(),
    required: integer('required', { mode: 'boolean' }).notNull(),
    /** JSON of Nautobot's default, as-is. */
    defaultValue: text('default_value').notNull(),
    description: text('description').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_custom_fields_pk', columns: [t.integrationId, t.id] })],
);

/**
 * Objects a webhook deleted, with Nautobot's event time, so that an older "updated" event that
 * arrives late does not bring them back. A full sync clears the ones older than its start.
 */
export const sotTombstones = sqliteTable(
  'sot_tombstones',
  {
    ...mirrorColumns(),
    model: text('model').notNull(),
  },
  (t) => [primaryKey({ name: 'sot_tombstones_pk', columns: [t.integrationId, t.id] })],
);
