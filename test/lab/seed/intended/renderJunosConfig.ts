import type { ConfigView, InterfaceView } from './configView.js';

const mgmtInstance = 'mgmt_junos';
const exportPolicy = 'EXPORT-LOOPBACK';

/** Junos `show configuration | display set` of an MX edge router. */
export function renderJunosConfig(view: ConfigView): string {
  const nextHop = `next-hop ${view.gateway}`;
  return [
    'set version 23.4R1.9',
    `set system host-name ${view.hostname}`,
    'set system management-instance',
    'set system services ssh',
    `set system syslog host ${view.syslogServer} any notice`,
    `set system syslog host ${view.syslogServer} routing-instance ${mgmtInstance}`,
    `set system ntp server ${view.ntpServer} routing-instance ${mgmtInstance}`,
    ...[view.uplink, view.spare, view.management, view.loopback].flatMap(junosInterface),
    `set snmp location ${view.site}`,
    `set routing-options router-id ${view.routerId}`,
    `set routing-options autonomous-system ${view.asn}`,
    ...junosBgpGroup('UPSTREAM-V4', view.neighbors4),
    ...junosBgpGroup('UPSTREAM-V6', view.neighbors6),
    `set policy-options policy-statement ${exportPolicy} term lo0 from interface lo0.0`,
    `set policy-options policy-statement ${exportPolicy} term lo0 then accept`,
    `set routing-instances ${mgmtInstance} routing-options static route 0.0.0.0/0 ${nextHop}`,
  ].join('\n');
}

/** Junos quotes a value only when it contains a space or another special character. */
function quote(value: string): string {
  return /^[\w./:-]+$/.test(value) ? value : `"${value}"`;
}

function junosInterface(iface: InterfaceView): string[] {
  const base = `set interfaces ${iface.name}`;
  const lines = [`${base} description ${quote(iface.description)}`];
  if (!iface.enabled) lines.push(`${base} disable`);
  if (iface.ipv4 !== null) {
    lines.push(`${base} unit 0 family inet address ${iface.ipv4.host}/${iface.ipv4.length}`);
  }
  if (iface.ipv6 !== null) {
    lines.push(`${base} unit 0 family inet6 address ${iface.ipv6.host}/${iface.ipv6.length}`);
  }
  return lines;
}

function junosBgpGroup(group: string, neighbors: ConfigView['neighbors4']): string[] {
  const base = `set protocols bgp group ${group}`;
  return [
    `${base} type external`,
    `${base} export ${exportPolicy}`,
    ...neighbors.flatMap((n) => [
      `${base} neighbor ${n.address} description ${quote(n.description)}`,
      `${base} neighbor ${n.address} peer-as ${n.remoteAs}`,
    ]),
  ];
}
