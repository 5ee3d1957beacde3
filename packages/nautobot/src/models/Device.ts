import { z } from 'zod';
import { nullableRef, objectBase, refSchema, tagsAndCustomFields, timestamps } from './fields.ts';

/**
 * `/api/dcim/devices/`. `name` may be null and need not be unique (DEVICE_UNIQUENESS), so key
 * devices by `id`. The vendor is the device type's manufacturer.
 */
export const deviceSchema = z.looseObject({
  ...objectBase,
  name: z.string().nullable(),
  device_type: refSchema,
  role: refSchema,
  location: refSchema,
  status: refSchema,
  platform: nullableRef,
  serial: z.string(),
  asset_tag: z.string().nullable(),
  primary_ip4: nullableRef,
  primary_ip6: nullableRef,
  tenant: nullableRef,
  rack: nullableRef,
  secrets_group: nullableRef,
  software_version: nullableRef,
  comments: z.string(),
  ...tagsAndCustomFields,
  ...timestamps,
});
export type Device = z.infer<typeof deviceSchema>;
