import { z } from 'zod';
import { customFieldValues, objectBase, timestamps } from './fields.ts';

/** `/api/extras/statuses/`: Active, Planned and the rest, shared by every model. */
export const statusSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  color: z.string(),
  content_types: z.array(z.string()),
  description: z.string(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type Status = z.infer<typeof statusSchema>;
