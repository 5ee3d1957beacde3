import { z } from 'zod';
import { customFieldValues, nullableRef, objectBase, timestamps } from './fields.ts';

/** `/api/dcim/location-types/`; devices fit only where `content_types` has `dcim.device`. */
export const locationTypeSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  parent: nullableRef,
  nestable: z.boolean(),
  content_types: z.array(z.string()),
  description: z.string(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type LocationType = z.infer<typeof locationTypeSchema>;
