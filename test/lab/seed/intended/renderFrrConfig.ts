import { type ConfigView, type InterfaceView, ifPresent, when } from './configView.js';

/**
 * FRR `show running-config` (without vtysh's "Building configuration..." preamble): blocks
 * end with `exit`, and `!` separates them.
 */
export function renderFrrConfig(view: ConfigView): string {
  return [
    'frr version 10.1',
    'frr defaults traditional',
    `hostname ${view.hostname}`,
    'log syslog informational',
    'service integrated-vtysh-config',
    '!',
    `ip route 0.0.0.0/0 ${view.gateway} ${view.management.name}`,
    '!',
    ...[view.management, view.uplink, view.spare, view.loopback].flatMap(frrInterface),
    ...frrBgp(view),
    'end',
  ].join('\n');
}

function frrInterface(iface: InterfaceView): string[] {
  return [
    `interface ${iface.name}`,
    ` description ${iface.description}`,
    ...ifPresent(iface.ipv4, (a) => ` ip address ${a.host}/${a.length}`),
    ...ifPresent(iface.ipv6, (a) => ` ipv6 address ${a.host}/${a.length}`),
    ...when(!iface.enabled, ' shutdown'),
    'exit',
    '!',
  ];
}

function frrBgp(view: ConfigView): string[] {
  return [
    `router bgp ${view.asn}`,
    ` bgp router-id ${view.routerId}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ...[...view.neighbors4, ...view.neighbors6].flatMap((n) => [
      ` neighbor ${n.address} remote-as ${n.remoteAs}`,
      ` neighbor ${n.address} description ${n.description}`,
    ]),
    ' !',
    ' address-family ipv4 unicast',
    ...ifPresent(view.loopback.ipv4, (a) => `  network ${a.host}/${a.length}`),
    ...view.neighbors4.map((n) => `  neighbor ${n.address} activate`),
    ' exit-address-family',
    ' !',
    ' address-family ipv6 unicast',
    ...ifPresent(view.loopback.ipv6, (a) => `  network ${a.host}/${a.length}`),
    ...view.neighbors6.map((n) => `  neighbor ${n.address} activate`),
    ' exit-address-family',
    'exit',
    '!',
  ];
}
