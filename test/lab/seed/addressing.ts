/**
 * The lab's address plan. Site number k (1-based) owns 10.k.0.0/16 and 2001:db8:k::/48; inside
 * them each device takes the slot-th address of its site's management, loopback and uplink
 * networks. Sites and slots are bounded so that every address is unique within the namespace.
 */
export const ipv4Root = '10.0.0.0/8';
export const ipv6Root = '2001:db8::/32';
export const maxSites = 255;
export const maxDevicesPerSite = 100;

export interface SiteNetworks {
  ipv4: string;
  ipv6: string;
  management4: string;
  loopback4: string;
  uplink4: string;
  loopback6: string;
  uplink6: string;
}

export interface DeviceAddresses {
  management4: string;
  loopback4: string;
  loopback6: string;
  /** The device's end of a /31 (and /127) to an upstream router the lab does not model. */
  uplink4: string;
  uplink6: string;
  uplinkPeer4: string;
  uplinkPeer6: string;
  gateway4: string;
  ntpServer: string;
  syslogServer: string;
}

export function siteNetworks(siteNumber: number): SiteNetworks {
  checkRange('site number', siteNumber, 1, maxSites);
  const v6 = `2001:db8:${hex(siteNumber)}`;
  return {
    ipv4: `10.${siteNumber}.0.0/16`,
    ipv6: `${v6}::/48`,
    management4: `10.${siteNumber}.0.0/24`,
    loopback4: `10.${siteNumber}.1.0/24`,
    uplink4: `10.${siteNumber}.2.0/24`,
    loopback6: `${v6}:1::/64`,
    uplink6: `${v6}:2::/64`,
  };
}

/** Addresses are written the way Nautobot prints them back, so they double as lookup keys. */
export function deviceAddresses(siteNumber: number, slot: number): DeviceAddresses {
  checkRange('site number', siteNumber, 1, maxSites);
  checkRange('slot', slot, 0, maxDevicesPerSite - 1);
  const v4 = `10.${siteNumber}`;
  const v6 = `2001:db8:${hex(siteNumber)}`;
  // Pair p is .2p/.2p+1; starting at p=1 keeps the /31's all-zero address out of the plan.
  const pair = 2 * (slot + 1);
  return {
    management4: `${v4}.0.${slot + 10}/24`,
    loopback4: `${v4}.1.${slot + 1}/32`,
    loopback6: `${v6}:1::${hex(slot + 1)}/128`,
    uplink4: `${v4}.2.${pair}/31`,
    uplink6: `${v6}:2::${hex(pair)}/127`,
    uplinkPeer4: `${v4}.2.${pair + 1}`,
    uplinkPeer6: `${v6}:2::${hex(pair + 1)}`,
    gateway4: `${v4}.0.1`,
    ntpServer: `${v4}.0.2`,
    syslogServer: `${v4}.0.3`,
  };
}

/** `10.1.0.10/24` → host `10.1.0.10`, length 24. */
export function splitCidr(cidr: string): { host: string; length: number } {
  const [host, length] = cidr.split('/');
  if (host === undefined || length === undefined) throw new Error(`not CIDR notation: ${cidr}`);
  return { host, length: Number(length) };
}

function hex(value: number): string {
  return value.toString(16);
}

function checkRange(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
