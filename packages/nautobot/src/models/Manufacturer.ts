import { z } from 'zod';
import { customFieldValues, objectBase, timestamps } from './fields.ts';

/** `/api/dcim/manufacturers/`. */
export const manufacturerSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  description: z.string(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type Manufacturer = z.infer<typeof manufacturerSchema>;
