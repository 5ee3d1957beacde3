/**
 * Query filters as Nautobot takes them: `{ location: 'ams1', status: ['active', 'planned'],
 * cf_owner_team: 'emea' }`. An array repeats the parameter, which Nautobot ORs (tags are ANDed).
 * Unknown names get a 400 (`bad_request`), since STRICT_FILTERING is on by default.
 */
export type FilterValue = string | number | boolean;
export type Filters = Readonly<Record<string, FilterValue | readonly FilterValue[] | undefined>>;

/** Appends filters to a URL's query, skipping undefined values. */
export function appendFilters(params: URLSearchParams, filters: Filters | undefined): void {
  for (const [name, value] of Object.entries(filters ?? {})) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values as readonly FilterValue[]) params.append(name, String(item));
  }
}
