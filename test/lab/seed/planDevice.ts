import { deviceAddresses, splitCidr } from './addressing.js';
import type { DeviceFacts, PlannedInterface } from './InventoryPlan.js';
import {
  driftWatchTag,
  labFrrGroup,
  type lifecycleStages,
  realDeviceTag,
  seededTag,
  simulatedGroup,
} from './planCatalog.js';
import type { PlannedSite } from './planSites.js';
import type { PlatformSpec } from './platforms.js';

/** Where a device sits in the plan; everything else about it follows from this. */
export interface DevicePosition {
  /** 0-based over the whole plan; makes serials and asset tags unique. */
  index: number;
  site: PlannedSite;
  /** 0-based within the site; picks the device's addresses. */
  slot: number;
  /** 1-based count of this platform within the site; ends the device's name. */
  ordinal: number;
  platform: PlatformSpec;
  isLabFrr: boolean;
}

/** Private ASN of the upstream routers every device peers with; they are not modelled. */
export const upstreamAsn = 64512;

export function planDevice(position: DevicePosition): DeviceFacts {
  const { index, site, slot, ordinal, platform } = position;
  const name = `${site.name}-${platform.slug}-${String(ordinal).padStart(2, '0')}`;
  const addresses = deviceAddresses(site.number, slot);
  const asn = 65000 + site.number;
  const upstream = `${site.name} core`;
  return {
    name,
    site: site.name,
    platform: platform.name,
    networkDriver: platform.networkDriver,
    manufacturer: platform.manufacturer,
    deviceType: platform.deviceType,
    role: platform.role,
    serial: `${platform.serialPrefix}${String(index + 1).padStart(8, '0')}`,
    assetTag: `PLB-${String(index + 1).padStart(6, '0')}`,
    tags: deviceTags(position),
    customFields: {
      owner_team: site.region === 'Europe' ? 'emea-netops' : 'amer-netops',
      lifecycle_stage: lifecycleStage(position),
      bgp_asn: asn,
    },
    secretsGroup: position.isLabFrr ? labFrrGroup : simulatedGroup,
    interfaces: planInterfaces(platform, addresses, upstream),
    primaryIp4: addresses.management4,
    primaryIp6: addresses.loopback6,
    managementGateway: addresses.gateway4,
    ntpServer: addresses.ntpServer,
    syslogServer: addresses.syslogServer,
    bgp: {
      asn,
      routerId: splitCidr(addresses.loopback4).host,
      neighbors: [addresses.uplinkPeer4, addresses.uplinkPeer6].map((address) => ({
        address,
        remoteAs: upstreamAsn,
        description: upstream,
      })),
    },
  };
}

function planInterfaces(
  platform: PlatformSpec,
  addresses: ReturnType<typeof deviceAddresses>,
  upstream: string,
): PlannedInterface[] {
  const common = { enabled: true, mgmtOnly: false };
  return [
    {
      ...platform.management,
      ...common,
      purpose: 'management',
      mgmtOnly: true,
      description: 'OOB management',
      addresses: [addresses.management4],
    },
    {
      ...platform.loopback,
      ...common,
      purpose: 'loopback',
      description: 'Router ID',
      addresses: [addresses.loopback4, addresses.loopback6],
    },
    {
      ...platform.uplink,
      ...common,
      purpose: 'uplink',
      description: `Uplink to ${upstream}`,
      addresses: [addresses.uplink4, addresses.uplink6],
    },
    {
      ...platform.spare,
      ...common,
      purpose: 'spare',
      enabled: false,
      description: 'Spare',
      addresses: [],
    },
  ];
}

function deviceTags(position: DevicePosition): string[] {
  const tags = [seededTag];
  if (position.index % 2 === 0) tags.push(driftWatchTag);
  if (position.isLabFrr) tags.push(realDeviceTag);
  return tags;
}

function lifecycleStage(position: DevicePosition): (typeof lifecycleStages)[number] {
  if (position.isLabFrr) return 'lab';
  return position.index % 10 === 9 ? 'staging' : 'production';
}
