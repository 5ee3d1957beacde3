/** Groups items so that every item comes after its parent: roots first, then their children. */
export function tiersOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  parentOf: (item: T) => string | null,
): T[][] {
  const depths = new Map<string, number>();
  const tiers: T[][] = [];
  for (const item of items) {
    const parent = parentOf(item);
    const parentDepth = parent === null ? -1 : depths.get(parent);
    if (parentDepth === undefined) {
      throw new Error(`plan lists ${keyOf(item)} before its parent ${parent}`);
    }
    const depth = parentDepth + 1;
    depths.set(keyOf(item), depth);
    const tier = tiers[depth] ?? [];
    tier.push(item);
    tiers[depth] = tier;
  }
  return tiers;
}
