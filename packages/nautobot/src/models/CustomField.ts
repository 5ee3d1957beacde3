import { z } from 'zod';
import { choiceSchema, objectBase, timestamps } from './fields.ts';

/**
 * `/api/extras/custom-fields/`: the definitions. Values live on each object under
 * `custom_fields[key]`. `type.value` is text, integer, boolean, date, datetime, url, select,
 * multi-select, json or markdown.
 */
export const customFieldSchema = z.looseObject({
  ...objectBase,
  key: z.string(),
  label: z.string(),
  type: choiceSchema,
  content_types: z.array(z.string()),
  required: z.boolean(),
  default: z.unknown(),
  filter_logic: choiceSchema,
  description: z.string(),
  weight: z.number().int(),
  grouping: z.string(),
  ...timestamps,
});
export type CustomField = z.infer<typeof customFieldSchema>;
