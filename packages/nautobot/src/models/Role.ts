import { z } from 'zod';
import { customFieldValues, objectBase, timestamps } from './fields.ts';

/** `/api/extras/roles/`: one table for the roles of every model, told apart by content type. */
export const roleSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  color: z.string(),
  content_types: z.array(z.string()),
  weight: z.number().nullable(),
  description: z.string(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type Role = z.infer<typeof roleSchema>;
