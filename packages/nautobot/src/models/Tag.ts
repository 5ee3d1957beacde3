import { z } from 'zod';
import { customFieldValues, objectBase, timestamps } from './fields.ts';

/** `/api/extras/tags/`; `content_types` lists the models the tag may be put on. */
export const tagSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  color: z.string(),
  content_types: z.array(z.string()),
  description: z.string(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type Tag = z.infer<typeof tagSchema>;
