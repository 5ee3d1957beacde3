import { z } from 'zod';

/**
 * Nautobot's default webhook body. `timestamp` is Python's `str(datetime)`, with a space where
 * ISO 8601 has a `T` ("2026-07-01 16:44:49.123456+00:00"); `data` is the object at depth 1.
 */
export const webhookEventSchema = z.looseObject({
  event: z.enum(['created', 'updated', 'deleted']),
  timestamp: z
    .string()
    .max(64)
    .transform((text, ctx) => {
      const ms = Date.parse(text.replace(' ', 'T'));
      if (Number.isNaN(ms)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a time like "2026-07-01 16:44:49+00:00"`,
        });
        return z.NEVER;
      }
      return ms;
    }),
  model: z.string().max(100),
  username: z.string().nullish(),
  request_id: z.string().nullish(),
  data: z.looseObject({ id: z.uuid() }),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
