import { z } from 'zod';
import { nullableRef, objectBase, refSchema, tagsAndCustomFields, timestamps } from './fields.ts';

/**
 * `/api/ipam/ip-addresses/`. Every address has a `parent` prefix, which also fixes its
 * namespace. Nautobot 3.2 sends `type` as a bare value (`"host"`), unlike the `{value, label}`
 * of interfaces and prefixes.
 */
export const ipAddressSchema = z.looseObject({
  ...objectBase,
  address: z.string(),
  host: z.string(),
  mask_length: z.number().int(),
  ip_version: z.number().int(),
  type: z.string(),
  status: refSchema,
  role: nullableRef,
  parent: refSchema,
  dns_name: z.string(),
  description: z.string(),
  tenant: nullableRef,
  ...tagsAndCustomFields,
  ...timestamps,
});
export type IpAddress = z.infer<typeof ipAddressSchema>;
