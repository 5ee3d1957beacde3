export interface ChunkOptions {
  /** The most items in one chunk. */
  chunkSize: number;
  /** How many chunks may be in flight at once. */
  concurrency: number;
}

/**
 * Runs `work` over consecutive slices of `items`, at most `concurrency` at a time, and returns
 * the results in the order of `items`. Fewer than `concurrency` full chunks are split evenly,
 * so a small step still uses every slot. After the first failure no new chunk starts; the
 * returned promise rejects with that failure.
 */
export async function mapChunks<T, R>(
  items: readonly T[],
  options: ChunkOptions,
  work: (chunk: T[]) => Promise<R[]>,
): Promise<R[]> {
  const { chunkSize, concurrency } = options;
  if (!(chunkSize >= 1 && concurrency >= 1)) {
    throw new RangeError(
      `chunkSize and concurrency must be at least 1, got ${chunkSize}, ${concurrency}`,
    );
  }
  const size = Math.min(chunkSize, Math.ceil(items.length / concurrency));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  const results: R[][] = [];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < chunks.length) {
      const index = next++;
      try {
        results[index] = await work(chunks[index] ?? []);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return results.flat();
}
