import type { z } from 'zod';
import { customFieldSchema } from './models/CustomField.ts';
import { deviceSchema } from './models/Device.ts';
import { deviceTypeSchema } from './models/DeviceType.ts';
import { interfaceSchema } from './models/Interface.ts';
import { ipAddressSchema } from './models/IpAddress.ts';
import { ipAddressToInterfaceSchema } from './models/IpAddressToInterface.ts';
import { locationSchema } from './models/Location.ts';
import { locationTypeSchema } from './models/LocationType.ts';
import { manufacturerSchema } from './models/Manufacturer.ts';
import { namespaceSchema } from './models/Namespace.ts';
import { platformSchema } from './models/Platform.ts';
import { prefixSchema } from './models/Prefix.ts';
import { roleSchema } from './models/Role.ts';
import { statusSchema } from './models/Status.ts';
import { tagSchema } from './models/Tag.ts';
import { webhookSchema } from './models/Webhook.ts';

export interface ResourceDefinition {
  /** The list endpoint, with Nautobot's trailing slash. */
  path: string;
  /** What Nautobot's permissions and webhooks call it, e.g. `dcim.interface`. */
  objectType: string;
  schema: z.ZodType;
}

/** Every table the client reads, by the name callers use. */
export const resources = {
  locations: { path: '/api/dcim/locations/', objectType: 'dcim.location', schema: locationSchema },
  locationTypes: {
    path: '/api/dcim/location-types/',
    objectType: 'dcim.locationtype',
    schema: locationTypeSchema,
  },
  devices: { path: '/api/dcim/devices/', objectType: 'dcim.device', schema: deviceSchema },
  deviceTypes: {
    path: '/api/dcim/device-types/',
    objectType: 'dcim.devicetype',
    schema: deviceTypeSchema,
  },
  manufacturers: {
    path: '/api/dcim/manufacturers/',
    objectType: 'dcim.manufacturer',
    schema: manufacturerSchema,
  },
  platforms: { path: '/api/dcim/platforms/', objectType: 'dcim.platform', schema: platformSchema },
  roles: { path: '/api/extras/roles/', objectType: 'extras.role', schema: roleSchema },
  statuses: { path: '/api/extras/statuses/', objectType: 'extras.status', schema: statusSchema },
  interfaces: {
    path: '/api/dcim/interfaces/',
    objectType: 'dcim.interface',
    schema: interfaceSchema,
  },
  ipAddresses: {
    path: '/api/ipam/ip-addresses/',
    objectType: 'ipam.ipaddress',
    schema: ipAddressSchema,
  },
  ipAddressToInterface: {
    path: '/api/ipam/ip-address-to-interface/',
    objectType: 'ipam.ipaddresstointerface',
    schema: ipAddressToInterfaceSchema,
  },
  prefixes: { path: '/api/ipam/prefixes/', objectType: 'ipam.prefix', schema: prefixSchema },
  namespaces: {
    path: '/api/ipam/namespaces/',
    objectType: 'ipam.namespace',
    schema: namespaceSchema,
  },
  tags: { path: '/api/extras/tags/', objectType: 'extras.tag', schema: tagSchema },
  customFields: {
    path: '/api/extras/custom-fields/',
    objectType: 'extras.customfield',
    schema: customFieldSchema,
  },
  webhooks: { path: '/api/extras/webhooks/', objectType: 'extras.webhook', schema: webhookSchema },
} as const satisfies Record<string, ResourceDefinition>;

export type ResourceName = keyof typeof resources;

/** The parsed object of one resource, e.g. `ResourceModel<'devices'>` is `Device`. */
export type ResourceModel<R extends ResourceName> = z.output<(typeof resources)[R]['schema']>;

export const resourceNames = Object.keys(resources) as ResourceName[];

/** The object type an API path is about, when it is one of ours (for error messages). */
export function objectTypeOfPath(path: string): string | undefined {
  const match = resourceNames.find((name) => path.startsWith(resources[name].path));
  return match === undefined ? undefined : resources[match].objectType;
}
