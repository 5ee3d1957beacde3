import { maxDevicesPerSite, maxSites } from './addressing.js';

export interface PlannedSite {
  name: string;
  region: string;
  /** 1-based; picks the site's address space (see `siteNetworks`). */
  number: number;
}

export const regions = ['Europe', 'North America'] as const;

/** City codes alternate between the regions, so any number of sites covers both. */
const cities: readonly { code: string; region: (typeof regions)[number] }[] = [
  { code: 'ams', region: 'Europe' },
  { code: 'nyc', region: 'North America' },
  { code: 'fra', region: 'Europe' },
  { code: 'sjc', region: 'North America' },
  { code: 'lon', region: 'Europe' },
  { code: 'ord', region: 'North America' },
  { code: 'par', region: 'Europe' },
  { code: 'dfw', region: 'North America' },
  { code: 'mad', region: 'Europe' },
  { code: 'yyz', region: 'North America' },
];

const minSites = 3;

/** About one site per 100 devices, never fewer than three, so a site never outgrows its slots. */
export function siteCountFor(deviceCount: number): number {
  return Math.max(minSites, Math.ceil(deviceCount / maxDevicesPerSite));
}

export function planSites(siteCount: number): PlannedSite[] {
  if (!Number.isInteger(siteCount) || siteCount < 1 || siteCount > maxSites) {
    throw new RangeError(`site count must be an integer from 1 to ${maxSites}, got ${siteCount}`);
  }
  return Array.from({ length: siteCount }, (_, index) => {
    const city = cities[index % cities.length];
    if (city === undefined) throw new Error('unreachable: cities is not empty');
    const ordinal = Math.floor(index / cities.length) + 1;
    return { name: `${city.code}${ordinal}`, region: city.region, number: index + 1 };
  });
}
