import type { Cidr, ConfigView, InterfaceView } from './configView.js';

/** A leaf line, or a `name {` block whose children are indented one level deeper. */
type Node = string | { block: string; children: Node[] };

const indent = '    ';

/**
 * SR OS MD-CLI `admin show configuration` of a 7750 SR-1, hierarchical, as `info` prints it.
 * The management port's address lives in the BOF, not under `configure`, so only its
 * description appears here.
 */
export function renderSrosConfig(view: ConfigView): string {
  const header = [
    '# TiMOS-B-23.10.R1 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2023 Nokia.',
    '# All rights reserved. All use subject to applicable license agreements.',
    '# Configuration format version 23.10 revision 0',
    '',
  ];
  const configure = block('configure', [
    block('card 1', ['card-type iom-1', block('mda 1', ['mda-type me12-100gb-qsfp28'])]),
    block('log', [block('syslog "1"', [`address ${view.syslogServer}`])]),
    ...srosPort(view.uplink, [block('ethernet', ['mode network'])]),
    ...srosPort(view.spare, []),
    block(`port ${view.management.name}`, [`description "${view.management.description}"`]),
    block('router "Base"', [
      `autonomous-system ${view.asn}`,
      `router-id ${view.routerId}`,
      srosRouterInterface(`"${view.loopback.name}"`, view.loopback, []),
      srosRouterInterface('"uplink"', view.uplink, [`port ${view.uplink.name}`]),
      srosBgp(view),
    ]),
    block('system', [
      `name "${view.hostname}"`,
      `location "${view.site}"`,
      block('management-interface', ['configuration-mode model-driven']),
      block('time', [
        block('ntp', [
          'admin-state enable',
          block(`server ${view.ntpServer} router-instance "management"`, []),
        ]),
      ]),
    ]),
  ]);
  return [...header, ...render(configure, 0)].join('\n');
}

function block(name: string, children: Node[]): Node {
  return { block: name, children };
}

function render(node: Node, depth: number): string[] {
  const pad = indent.repeat(depth);
  if (typeof node === 'string') return [`${pad}${node}`];
  return [
    `${pad}${node.block} {`,
    ...node.children.flatMap((child) => render(child, depth + 1)),
    `${pad}}`,
  ];
}

/** A breakout port: the connector (`1/1/c1`) and its one 100G port (`1/1/c1/1`). */
function srosPort(iface: InterfaceView, extra: Node[]): Node[] {
  const connector = iface.name.split('/').slice(0, 3).join('/');
  return [
    block(`port ${connector}`, ['admin-state enable', block('connector', ['breakout c1-100g'])]),
    block(`port ${iface.name}`, [
      `admin-state ${iface.enabled ? 'enable' : 'disable'}`,
      `description "${iface.description}"`,
      ...extra,
    ]),
  ];
}

function srosRouterInterface(name: string, iface: InterfaceView, extra: Node[]): Node {
  return block(`interface ${name}`, [
    `description "${iface.description}"`,
    ...extra,
    ...(iface.ipv4 === null ? [] : [block('ipv4', [block('primary', v4Address(iface.ipv4))])]),
    ...(iface.ipv6 === null ? [] : [block('ipv6', [v6Address(iface.ipv6)])]),
  ]);
}

function v4Address(cidr: Cidr): Node[] {
  return [`address ${cidr.host}`, `prefix-length ${cidr.length}`];
}

function v6Address(cidr: Cidr): Node {
  return block(`address ${cidr.host}`, [`prefix-length ${cidr.length}`]);
}

function srosBgp(view: ConfigView): Node {
  const group = 'UPSTREAM';
  const neighbors = [...view.neighbors4, ...view.neighbors6];
  const peerAs = neighbors[0]?.remoteAs;
  return block('bgp', [
    block(`group "${group}"`, peerAs === undefined ? [] : [`peer-as ${peerAs}`]),
    ...neighbors.map((n) =>
      block(`neighbor "${n.address}"`, [`description "${n.description}"`, `group "${group}"`]),
    ),
  ]);
}
