import { z } from 'zod';
import {
  choiceSchema,
  nullableRef,
  objectBase,
  refSchema,
  tagsAndCustomFields,
  timestamps,
} from './fields.ts';

/**
 * `/api/dcim/interfaces/`. Its IP addresses are an m2m field that Nautobot 3 leaves out;
 * they come from `ipAddressToInterface`.
 */
export const interfaceSchema = z.looseObject({
  ...objectBase,
  device: refSchema,
  name: z.string(),
  type: choiceSchema,
  enabled: z.boolean(),
  status: refSchema,
  mtu: z.number().int().nullable(),
  mac_address: z.string().nullable(),
  description: z.string(),
  mgmt_only: z.boolean(),
  mode: choiceSchema.nullable(),
  lag: nullableRef,
  parent_interface: nullableRef,
  vrf: nullableRef,
  ip_address_count: z.number().int(),
  ...tagsAndCustomFields,
  ...timestamps,
});
export type Interface = z.infer<typeof interfaceSchema>;
