import { type ConfigView, type InterfaceView, ifPresent, when } from './configView.js';

const mgmtVrf = 'MGMT';

/**
 * EOS `show running-config` of a spine. EOS sorts interfaces by name (Ethernet, Loopback,
 * Management) and indents by three spaces.
 */
export function renderEosConfig(view: ConfigView): string {
  return [
    '! Command: show running-config',
    `! device: ${view.hostname} (${view.model}, EOS-4.31.2F)`,
    '!',
    'no aaa root',
    '!',
    'service routing protocols model multi-agent',
    '!',
    `hostname ${view.hostname}`,
    '!',
    `ntp server vrf ${mgmtVrf} ${view.ntpServer}`,
    '!',
    `snmp-server location ${view.site}`,
    '!',
    'spanning-tree mode mstp',
    '!',
    `vrf instance ${mgmtVrf}`,
    '!',
    ...eosInterface(view.uplink, ['   no switchport']),
    ...eosInterface(view.spare, []),
    ...eosInterface(view.loopback, []),
    ...eosInterface(view.management, [`   vrf ${mgmtVrf}`]),
    'ip routing',
    `no ip routing vrf ${mgmtVrf}`,
    'ipv6 unicast-routing',
    '!',
    `ip route vrf ${mgmtVrf} 0.0.0.0/0 ${view.gateway}`,
    '!',
    ...eosBgp(view),
    `logging vrf ${mgmtVrf} host ${view.syslogServer}`,
    '!',
    'management api http-commands',
    '   no shutdown',
    '   !',
    `   vrf ${mgmtVrf}`,
    '      no shutdown',
    '!',
    'end',
  ].join('\n');
}

function eosInterface(iface: InterfaceView, before: string[]): string[] {
  return [
    `interface ${iface.name}`,
    `   description ${iface.description}`,
    ...when(!iface.enabled, '   shutdown'),
    ...before,
    ...ifPresent(iface.ipv4, (a) => `   ip address ${a.host}/${a.length}`),
    ...ifPresent(iface.ipv6, (a) => `   ipv6 address ${a.host}/${a.length}`),
    '!',
  ];
}

function eosBgp(view: ConfigView): string[] {
  return [
    `router bgp ${view.asn}`,
    `   router-id ${view.routerId}`,
    ...[...view.neighbors4, ...view.neighbors6].flatMap((n) => [
      `   neighbor ${n.address} remote-as ${n.remoteAs}`,
      `   neighbor ${n.address} description ${n.description}`,
    ]),
    '   !',
    '   address-family ipv4',
    ...view.neighbors4.map((n) => `      neighbor ${n.address} activate`),
    ...ifPresent(view.loopback.ipv4, (a) => `      network ${a.host}/${a.length}`),
    '   !',
    '   address-family ipv6',
    ...view.neighbors6.map((n) => `      neighbor ${n.address} activate`),
    ...ifPresent(view.loopback.ipv6, (a) => `      network ${a.host}/${a.length}`),
    '!',
  ];
}
