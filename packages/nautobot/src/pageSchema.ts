import { z } from 'zod';

/** Nautobot's list envelope, with each row parsed by `row`. */
export function pageSchema<T extends z.ZodType>(row: T) {
  return z.object({
    count: z.number().int().nonnegative(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(row),
  });
}

export type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] };
