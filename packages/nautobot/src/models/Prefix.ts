import { z } from 'zod';
import {
  choiceSchema,
  nullableRef,
  objectBase,
  refSchema,
  tagsAndCustomFields,
  timestamps,
} from './fields.ts';

/** `/api/ipam/prefixes/`; Nautobot keeps `parent` itself, so the tree comes ready-made. */
export const prefixSchema = z.looseObject({
  ...objectBase,
  prefix: z.string(),
  network: z.string(),
  prefix_length: z.number().int(),
  ip_version: z.number().int(),
  type: choiceSchema,
  status: refSchema,
  role: nullableRef,
  parent: nullableRef,
  namespace: refSchema,
  tenant: nullableRef,
  vlan: nullableRef,
  description: z.string(),
  ...tagsAndCustomFields,
  ...timestamps,
});
export type Prefix = z.infer<typeof prefixSchema>;
