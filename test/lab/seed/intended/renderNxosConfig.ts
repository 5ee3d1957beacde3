import { type ConfigView, type InterfaceView, ifPresent, when } from './configView.js';

/**
 * NX-OS `show running-config` of a Nexus leaf. NX-OS lists Ethernet ports, then mgmt0, then
 * loopbacks, and indents by two spaces.
 */
export function renderNxosConfig(view: ConfigView): string {
  return [
    '!Command: show running-config',
    '',
    'version 10.3(4a) Bios:version 05.47',
    `hostname ${view.hostname}`,
    'feature bgp',
    'feature lldp',
    '',
    'no ip domain-lookup',
    `logging server ${view.syslogServer} 5 use-vrf management`,
    `ntp server ${view.ntpServer} use-vrf management`,
    `snmp-server location ${view.site}`,
    '',
    'vrf context management',
    `  ip route 0.0.0.0/0 ${view.gateway}`,
    '',
    ...nxosInterface(view.uplink, ['  no switchport']),
    ...nxosInterface(view.spare, []),
    ...nxosInterface(view.management, ['  vrf member management']),
    ...nxosInterface(view.loopback, []),
    'line console',
    'line vty',
    ...nxosBgp(view),
  ].join('\n');
}

function nxosInterface(iface: InterfaceView, before: string[]): string[] {
  return [
    `interface ${iface.name}`,
    `  description ${iface.description}`,
    ...before,
    ...ifPresent(iface.ipv4, (a) => `  ip address ${a.host}/${a.length}`),
    ...ifPresent(iface.ipv6, (a) => `  ipv6 address ${a.host}/${a.length}`),
    ...when(!iface.enabled, '  shutdown'),
    ...when(iface.enabled && iface.name.startsWith('Ethernet'), '  no shutdown'),
    '',
  ];
}

function nxosBgp(view: ConfigView): string[] {
  const neighbor = (address: string, remoteAs: number, description: string, af: string) => [
    `  neighbor ${address}`,
    `    remote-as ${remoteAs}`,
    `    description ${description}`,
    `    address-family ${af} unicast`,
  ];
  return [
    `router bgp ${view.asn}`,
    `  router-id ${view.routerId}`,
    '  address-family ipv4 unicast',
    ...ifPresent(view.loopback.ipv4, (a) => `    network ${a.host}/${a.length}`),
    '  address-family ipv6 unicast',
    ...ifPresent(view.loopback.ipv6, (a) => `    network ${a.host}/${a.length}`),
    ...view.neighbors4.flatMap((n) => neighbor(n.address, n.remoteAs, n.description, 'ipv4')),
    ...view.neighbors6.flatMap((n) => neighbor(n.address, n.remoteAs, n.description, 'ipv6')),
  ];
}
