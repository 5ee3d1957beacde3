import { z } from 'zod';
import { nullableRef, objectBase, refSchema, tagsAndCustomFields, timestamps } from './fields.ts';

/** `/api/dcim/locations/`: sites, regions and whatever the location types make of them. */
export const locationSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  location_type: refSchema,
  parent: nullableRef,
  status: refSchema,
  tenant: nullableRef,
  description: z.string(),
  facility: z.string(),
  time_zone: z.string().nullable(),
  ...tagsAndCustomFields,
  ...timestamps,
});
export type Location = z.infer<typeof locationSchema>;
