import { z } from 'zod';
import { nullableRef, objectBase, tagsAndCustomFields, timestamps } from './fields.ts';

/** `/api/ipam/namespaces/`; every Nautobot has "Global". */
export const namespaceSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  description: z.string(),
  location: nullableRef,
  tenant: nullableRef,
  ...tagsAndCustomFields,
  ...timestamps,
});
export type Namespace = z.infer<typeof namespaceSchema>;
