import { z } from 'zod';
import { nullableRef, objectBase, refSchema } from './fields.ts';

/**
 * `/api/ipam/ip-address-to-interface/`: which address sits on which interface. A bare model
 * without timestamps, change log or webhooks, so it is always read whole.
 */
export const ipAddressToInterfaceSchema = z.looseObject({
  ...objectBase,
  ip_address: refSchema,
  interface: nullableRef,
  vm_interface: nullableRef,
  is_primary: z.boolean(),
  is_secondary: z.boolean(),
  is_default: z.boolean(),
  is_preferred: z.boolean(),
  is_source: z.boolean(),
  is_destination: z.boolean(),
  is_standby: z.boolean(),
});
export type IpAddressToInterface = z.infer<typeof ipAddressToInterfaceSchema>;
