import { splitCidr } from '../addressing.js';
import type { DeviceFacts, PlannedBgpNeighbor, PlannedInterface } from '../InventoryPlan.js';

export interface Cidr {
  host: string;
  length: number;
}

export interface InterfaceView {
  name: string;
  description: string;
  enabled: boolean;
  ipv4: Cidr | null;
  ipv6: Cidr | null;
}

/** A device's facts reshaped for the renderers: interfaces by purpose, addresses by family. */
export interface ConfigView {
  hostname: string;
  site: string;
  model: string;
  management: InterfaceView;
  loopback: InterfaceView;
  uplink: InterfaceView;
  spare: InterfaceView;
  gateway: string;
  ntpServer: string;
  syslogServer: string;
  asn: number;
  routerId: string;
  neighbors4: PlannedBgpNeighbor[];
  neighbors6: PlannedBgpNeighbor[];
}

export function configView(facts: DeviceFacts): ConfigView {
  const isV6 = (address: string) => address.includes(':');
  return {
    hostname: facts.name,
    site: facts.site,
    model: facts.deviceType,
    management: interfaceView(facts, 'management'),
    loopback: interfaceView(facts, 'loopback'),
    uplink: interfaceView(facts, 'uplink'),
    spare: interfaceView(facts, 'spare'),
    gateway: facts.managementGateway,
    ntpServer: facts.ntpServer,
    syslogServer: facts.syslogServer,
    asn: facts.bgp.asn,
    routerId: facts.bgp.routerId,
    neighbors4: facts.bgp.neighbors.filter((n) => !isV6(n.address)),
    neighbors6: facts.bgp.neighbors.filter((n) => isV6(n.address)),
  };
}

function interfaceView(facts: DeviceFacts, purpose: PlannedInterface['purpose']): InterfaceView {
  const planned = facts.interfaces.find((item) => item.purpose === purpose);
  if (planned === undefined) throw new Error(`${facts.name} has no ${purpose} interface`);
  const ipv4 = planned.addresses.find((address) => !address.includes(':'));
  const ipv6 = planned.addresses.find((address) => address.includes(':'));
  return {
    name: planned.name,
    description: planned.description,
    enabled: planned.enabled,
    ipv4: ipv4 === undefined ? null : splitCidr(ipv4),
    ipv6: ipv6 === undefined ? null : splitCidr(ipv6),
  };
}

/** 24 → 255.255.255.0, for the platforms that print masks in dotted form. */
export function ipv4Netmask(length: number): string {
  const bits = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
}

/** Lines of a block only when the condition holds; keeps the renderers' arrays flat. */
export function when(condition: boolean, ...lines: string[]): string[] {
  return condition ? lines : [];
}

/** The rendered line for a value that may be absent, such as an interface's IPv6 address. */
export function ifPresent<T>(value: T | null, render: (value: T) => string): string[] {
  return value === null ? [] : [render(value)];
}
