import { z } from 'zod';

/** One process's memory after a full garbage collection (when `--expose-gc` allows one). */
export const processMemorySchema = z.object({
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
  externalBytes: z.number(),
  /** False when the process was started without `--expose-gc`: figures include garbage. */
  collected: z.boolean(),
});
export type ProcessMemory = z.infer<typeof processMemorySchema>;

/** This process's memory, after two full collections if `global.gc` is exposed. */
export function processMemory(): ProcessMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
    collected: gc !== undefined,
  };
}
