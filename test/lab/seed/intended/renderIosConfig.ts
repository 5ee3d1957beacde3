import { type ConfigView, type InterfaceView, ifPresent, ipv4Netmask, when } from './configView.js';

const mgmtVrf = 'Mgmt-vrf';

/** IOS-XE `show running-config` of a Catalyst access switch routing its uplink. */
export function renderIosConfig(view: ConfigView): string {
  return [
    '!',
    'version 17.9',
    'service timestamps debug datetime msec',
    'service timestamps log datetime msec',
    'service password-encryption',
    '!',
    `hostname ${view.hostname}`,
    '!',
    `vrf definition ${mgmtVrf}`,
    ' !',
    ' address-family ipv4',
    ' exit-address-family',
    '!',
    'no ip domain lookup',
    'ip routing',
    'ipv6 unicast-routing',
    '!',
    ...iosInterface(view.loopback, []),
    ...iosInterface(view.management, [` vrf forwarding ${mgmtVrf}`], [' negotiation auto']),
    ...iosInterface(view.uplink, [' no switchport']),
    ...iosInterface(view.spare, []),
    ...iosBgp(view),
    `ip route vrf ${mgmtVrf} 0.0.0.0 0.0.0.0 ${view.gateway}`,
    '!',
    `logging source-interface ${view.management.name} vrf ${mgmtVrf}`,
    `logging host ${view.syslogServer} vrf ${mgmtVrf}`,
    `snmp-server location ${view.site}`,
    '!',
    'line con 0',
    ' stopbits 1',
    'line vty 0 4',
    ' transport input ssh',
    '!',
    `ntp server vrf ${mgmtVrf} ${view.ntpServer}`,
    '!',
    'end',
  ].join('\n');
}

/** IOS prints IPv6 addresses in upper case. */
function v6(address: string): string {
  return address.toUpperCase();
}

function iosInterface(iface: InterfaceView, before: string[], after: string[] = []): string[] {
  return [
    `interface ${iface.name}`,
    ` description ${iface.description}`,
    ...before,
    ...ifPresent(iface.ipv4, (a) => ` ip address ${a.host} ${ipv4Netmask(a.length)}`),
    ...ifPresent(iface.ipv6, (a) => ` ipv6 address ${v6(a.host)}/${a.length}`),
    ...when(!iface.enabled, ' shutdown'),
    ...after,
    '!',
  ];
}

function iosBgp(view: ConfigView): string[] {
  return [
    `router bgp ${view.asn}`,
    ` bgp router-id ${view.routerId}`,
    ' bgp log-neighbor-changes',
    ' no bgp default ipv4-unicast',
    ...[...view.neighbors4, ...view.neighbors6].flatMap((n) => [
      ` neighbor ${v6(n.address)} remote-as ${n.remoteAs}`,
      ` neighbor ${v6(n.address)} description ${n.description}`,
    ]),
    ' !',
    ' address-family ipv4',
    `  network ${view.routerId} mask 255.255.255.255`,
    ...view.neighbors4.map((n) => `  neighbor ${n.address} activate`),
    ' exit-address-family',
    ' !',
    ' address-family ipv6',
    ...ifPresent(view.loopback.ipv6, (a) => `  network ${v6(a.host)}/${a.length}`),
    ...view.neighbors6.map((n) => `  neighbor ${v6(n.address)} activate`),
    ' exit-address-family',
    '!',
  ];
}
