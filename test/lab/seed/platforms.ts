/** An interface as the device's own CLI names it, with its Nautobot interface type. */
export interface InterfaceSpec {
  name: string;
  type: string;
}

/** Everything the plan needs to know about one of the six platforms the lab simulates. */
export interface PlatformSpec {
  /** Short form used in device names, e.g. `ams1-nxos-01`. */
  slug: 'ios' | 'nxos' | 'eos' | 'junos' | 'sros' | 'frr';
  name: string;
  networkDriver: string;
  manufacturer: string;
  deviceType: string;
  role: string;
  /** Vendor-looking serial prefix; the device's global index makes the serial unique. */
  serialPrefix: string;
  management: InterfaceSpec;
  loopback: InterfaceSpec;
  uplink: InterfaceSpec;
  spare: InterfaceSpec;
}

/**
 * One device model per platform, with port names that model really has, so that drift
 * detection meets the names a real `show running-config` prints.
 */
export const platforms: readonly PlatformSpec[] = [
  {
    slug: 'ios',
    name: 'Cisco IOS',
    networkDriver: 'cisco_ios',
    manufacturer: 'Cisco',
    deviceType: 'C9300-48P',
    role: 'Access Switch',
    serialPrefix: 'FOC',
    management: { name: 'GigabitEthernet0/0', type: '1000base-t' },
    loopback: { name: 'Loopback0', type: 'virtual' },
    uplink: { name: 'GigabitEthernet1/0/1', type: '1000base-t' },
    spare: { name: 'GigabitEthernet1/0/2', type: '1000base-t' },
  },
  {
    slug: 'nxos',
    name: 'Cisco NX-OS',
    networkDriver: 'cisco_nxos',
    manufacturer: 'Cisco',
    deviceType: 'N9K-C93180YC-EX',
    role: 'Leaf',
    serialPrefix: 'FDO',
    management: { name: 'mgmt0', type: '1000base-t' },
    loopback: { name: 'loopback0', type: 'virtual' },
    uplink: { name: 'Ethernet1/1', type: '25gbase-x-sfp28' },
    spare: { name: 'Ethernet1/2', type: '25gbase-x-sfp28' },
  },
  {
    slug: 'eos',
    name: 'Arista EOS',
    networkDriver: 'arista_eos',
    manufacturer: 'Arista',
    deviceType: 'DCS-7050SX3-48YC8',
    role: 'Spine',
    serialPrefix: 'JPE',
    management: { name: 'Management1', type: '1000base-t' },
    loopback: { name: 'Loopback0', type: 'virtual' },
    uplink: { name: 'Ethernet1', type: '25gbase-x-sfp28' },
    spare: { name: 'Ethernet2', type: '25gbase-x-sfp28' },
  },
  {
    slug: 'junos',
    name: 'Juniper Junos',
    networkDriver: 'juniper_junos',
    manufacturer: 'Juniper',
    deviceType: 'MX204',
    role: 'Edge Router',
    serialPrefix: 'JN',
    management: { name: 'fxp0', type: '1000base-t' },
    loopback: { name: 'lo0', type: 'virtual' },
    uplink: { name: 'xe-0/1/0', type: '10gbase-x-sfpp' },
    spare: { name: 'xe-0/1/1', type: '10gbase-x-sfpp' },
  },
  {
    slug: 'sros',
    name: 'Nokia SR OS',
    networkDriver: 'nokia_sros',
    manufacturer: 'Nokia',
    deviceType: '7750 SR-1',
    role: 'Provider Edge',
    serialPrefix: 'NS',
    // A/1 is the CPM management port; "system" is SR OS's loopback that carries the router id.
    management: { name: 'A/1', type: '1000base-t' },
    loopback: { name: 'system', type: 'virtual' },
    uplink: { name: '1/1/c1/1', type: '100gbase-x-qsfp28' },
    spare: { name: '1/1/c2/1', type: '100gbase-x-qsfp28' },
  },
  {
    slug: 'frr',
    name: 'FRRouting',
    networkDriver: 'frr',
    manufacturer: 'FRRouting',
    deviceType: 'FRR Virtual Router',
    role: 'Route Server',
    serialPrefix: 'FRR',
    management: { name: 'eth0', type: 'virtual' },
    loopback: { name: 'lo', type: 'virtual' },
    uplink: { name: 'eth1', type: 'virtual' },
    spare: { name: 'eth2', type: 'virtual' },
  },
];
