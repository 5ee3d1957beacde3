import { z } from 'zod';

/**
 * One request to the lab's real Nautobot and its answer, as `recordLabResponses.ts` saved it.
 * Tests replay these instead of imitating Nautobot by hand.
 */
export const recordedExchangeSchema = z.object({
  recordedFrom: z.string(),
  request: z.object({
    method: z.string(),
    path: z.string(),
    query: z.record(z.string(), z.string()),
    /** The Accept header sent; its `version=` decides the API version of the answer. */
    accept: z.string(),
  }),
  response: z.object({
    status: z.number().int(),
    /** The headers the client reads: api-version, content-type, retry-after. */
    headers: z.record(z.string(), z.string()),
    /** Parsed JSON, or the raw text when the answer was not JSON. */
    body: z.unknown(),
  }),
});
export type RecordedExchange = z.infer<typeof recordedExchangeSchema>;
