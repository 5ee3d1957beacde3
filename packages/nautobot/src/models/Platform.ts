import { z } from 'zod';
import { customFieldValues, nullableRef, objectBase, timestamps } from './fields.ts';

/**
 * `/api/dcim/platforms/`. `network_driver` (netutils names such as `cisco_ios`) picks the
 * device driver; it is `""` when unset.
 */
export const platformSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  manufacturer: nullableRef,
  network_driver: z.string(),
  network_driver_mappings: z.record(z.string(), z.string().nullable()),
  napalm_driver: z.string(),
  description: z.string(),
  custom_fields: customFieldValues,
  ...timestamps,
});
export type Platform = z.infer<typeof platformSchema>;
