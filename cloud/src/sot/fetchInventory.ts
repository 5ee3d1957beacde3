import type {
  CustomField,
  Device,
  DeviceType,
  Interface,
  IpAddress,
  IpAddressToInterface,
  Location,
  LocationType,
  Manufacturer,
  Namespace,
  NautobotClient,
  Platform,
  Prefix,
  ResourceName,
  Role,
  Status,
  Tag,
} from '@plumbline/nautobot';
import { z } from 'zod';

/** Everything a sync run read from Nautobot, as the client parsed it (depth 0). */
export interface Inventory {
  manufacturers: Manufacturer[];
  deviceTypes: DeviceType[];
  platforms: Platform[];
  roles: Role[];
  statuses: Status[];
  locationTypes: LocationType[];
  namespaces: Namespace[];
  tags: Tag[];
  customFields: CustomField[];
  locations: Location[];
  devices: Device[];
  interfaces: Interface[];
  ipAddresses: IpAddress[];
  ipAddressToInterface: IpAddressToInterface[];
  prefixes: Prefix[];
  /** Incremental runs: ids Nautobot's change log records as deleted since the watermark. */
  deletedIds: Partial<Record<'locations' | 'devices' | 'prefixes' | 'ipAddresses', string[]>>;
}

/**
 * Read whole on every run: small tables, plus those Nautobot cannot filter by `last_updated`.
 * `InterfaceFilterSet` has no such filter (the lab's Nautobot 3.2.7 answers 400 "Unknown filter
 * field"), and ip-address-to-interface has no timestamps at all, so both are read whole and
 * replaced; that also catches their deletions.
 */
export const wholeResources = [
  'manufacturers',
  'deviceTypes',
  'platforms',
  'roles',
  'statuses',
  'locationTypes',
  'namespaces',
  'tags',
  'customFields',
  'interfaces',
  'ipAddressToInterface',
] as const satisfies ResourceName[];

/** Filtered by `last_updated__gte` in an incremental run. */
export const changedResources = ['locations', 'devices', 'prefixes', 'ipAddresses'] as const;

const objectTypeOf = {
  locations: 'dcim.location',
  devices: 'dcim.device',
  prefixes: 'ipam.prefix',
  ipAddresses: 'ipam.ipaddress',
} as const;

export interface FetchPlan {
  /** Null for a full run; a Nautobot time (ISO 8601) for an incremental one. */
  changedSince: string | null;
  signal?: AbortSignal;
  /** After each page: objects fetched so far over all resources, and the expected total. */
  onProgress?: (fetched: number, total: number, perResource: Record<string, number>) => void;
  /** Resources read at once; each reads its pages in parallel within the client's bound. */
  parallelResources?: number;
}

/**
 * Reads what the mirror needs. Totals come first from Nautobot's counts, so progress means
 * something while pages arrive; then each resource is listed (several at once, each in
 * parallel pages). Nothing is written here: the caller applies it all at once.
 */
export async function fetchInventory(client: NautobotClient, plan: FetchPlan): Promise<Inventory> {
  const signal = plan.signal;
  const since = plan.changedSince;
  const filtersOf = (resource: ResourceName) =>
    since !== null && (changedResources as readonly string[]).includes(resource)
      ? { last_updated__gte: since }
      : undefined;
  const all: ResourceName[] = [...wholeResources, ...changedResources];

  // Every count is awaited, then the first refusal in resource order is thrown, so the same
  // missing permission always gives the same message.
  const totals: Record<string, number> = {};
  const refusals: unknown[] = [];
  await mapBounded(all, 4, async (resource) => {
    try {
      totals[resource] = await client.count(resource, filtersOf(resource), signal);
    } catch (error) {
      refusals[all.indexOf(resource)] = error;
    }
  });
  const refusal = refusals.find((error) => error !== undefined);
  if (refusal !== undefined) throw refusal;
  const total = () => Object.values(totals).reduce((a, b) => a + b, 0);
  const fetched: Record<string, number> = Object.fromEntries(all.map((r) => [r, 0]));
  const report = () =>
    plan.onProgress?.(
      Object.values(fetched).reduce((a, b) => a + b, 0),
      total(),
      { ...fetched },
    );
  report();

  const lists: Record<string, unknown[]> = {};
  await mapBounded(all, plan.parallelResources ?? 3, async (resource) => {
    const filters = filtersOf(resource);
    lists[resource] = await client.listAll(resource, {
      ...(filters !== undefined && { filters }),
      ...(signal !== undefined && { signal }),
      onPage: (count, pageTotal) => {
        fetched[resource] = count;
        totals[resource] = pageTotal;
        report();
      },
    });
  });

  const deletedIds: Inventory['deletedIds'] = {};
  if (since !== null) {
    for (const resource of changedResources) {
      deletedIds[resource] = await deletedSince(client, objectTypeOf[resource], since, signal);
    }
  }
  return { ...(lists as unknown as Omit<Inventory, 'deletedIds'>), deletedIds };
}

const objectChangesPage = z.object({
  count: z.number().int(),
  next: z.string().nullable(),
  results: z.array(z.looseObject({ changed_object_id: z.uuid() })).max(1000),
});

/** Ids of objects of `objectType` deleted at or after `since`, from Nautobot's change log. */
async function deletedSince(
  client: NautobotClient,
  objectType: string,
  since: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const ids: string[] = [];
  const limit = 1000;
  // Bounded: a change log of more than 200 pages of deletes is read at the next full run.
  for (let offset = 0; offset < 200 * limit; offset += limit) {
    const answer = await client.request('GET', '/api/extras/object-changes/', {
      query: { changed_object_type: objectType, action: 'delete', time__gte: since, limit, offset },
      ...(signal !== undefined && { signal }),
    });
    const page = objectChangesPage.parse(answer);
    ids.push(...page.results.map((change) => change.changed_object_id));
    if (page.next === null || page.results.length === 0) break;
  }
  return ids;
}

/** Runs `task` over `items` with at most `bound` in flight; rejects with the first error. */
async function mapBounded<T>(items: readonly T[], bound: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(bound, items.length) }, worker));
}
