import { z } from 'zod';
import { objectBase, timestamps } from './fields.ts';

/**
 * `/api/extras/webhooks/`. Nautobot serializes every field, so `secret` (the HMAC key of
 * `X-Hook-Signature`) comes back in clear to any token that may view webhooks: never log one.
 */
export const webhookSchema = z.looseObject({
  ...objectBase,
  name: z.string(),
  content_types: z.array(z.string()),
  type_create: z.boolean(),
  type_update: z.boolean(),
  type_delete: z.boolean(),
  payload_url: z.string(),
  enabled: z.boolean(),
  http_method: z.string(),
  http_content_type: z.string(),
  additional_headers: z.string(),
  body_template: z.string(),
  secret: z.string(),
  ssl_verification: z.boolean(),
  ca_file_path: z.string().nullable(),
  ...timestamps,
});
export type Webhook = z.infer<typeof webhookSchema>;
