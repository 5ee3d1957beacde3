import { z } from 'zod';
import { customFieldValues, objectBase, refSchema, timestamps } from './fields.ts';

/** `/api/dcim/device-types/`: the model, and through `manufacturer` the vendor. */
export const deviceTypeSchema = z.looseObject({
  ...objectBase,
  model: z.string(),
  manufacturer: refSchema,
  part_number: z.string(),
  u_height: z.number(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type DeviceType = z.infer<typeof deviceTypeSchema>;
