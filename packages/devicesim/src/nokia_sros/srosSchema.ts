/**
 * The part of the SR OS MD-CLI schema the simulator knows: which words open a container, which
 * open a keyed list entry, which are leaves, and which values print quoted. It covers the lab's
 * intended configs and common router elements; anything else is an unknown element, where a
 * real router would accept the many elements missing here (known shortcoming).
 */
export type ElementKind =
  | { kind: 'container' }
  | { kind: 'list'; namedKeys: readonly string[] }
  | { kind: 'leaf' };

const containers = new Set([
  'aaa',
  'bgp',
  'connector',
  'egress',
  'ethernet',
  'grpc',
  'ingress',
  'ipv4',
  'ipv6',
  'isis',
  'ldp',
  'lldp',
  'log',
  'login-control',
  'management-interface',
  'motd',
  'mpls',
  'netconf',
  'ntp',
  'ospf',
  'policy-options',
  'primary',
  'rsvp',
  'security',
  'service',
  'snmp',
  'ssh',
  'static-routes',
  'system',
  'time',
]);

/** Keyed lists: one positional key, then optional named keys that belong to the key. */
const lists = new Map<string, readonly string[]>([
  ['area', []],
  ['card', []],
  ['community', []],
  ['entry', []],
  ['epipe', []],
  ['ies', []],
  ['interface', []],
  ['mda', []],
  ['next-hop', []],
  ['policy-statement', []],
  ['prefix-list', []],
  ['route', ['route-type']],
  ['router', []],
  ['sap', []],
  ['sdp', []],
  ['server', ['router-instance']],
  ['spoke-sdp', []],
  ['syslog', []],
  ['user', []],
  ['vpls', []],
  ['vprn', []],
]);

const leaves = new Set([
  'address',
  'admin-state',
  'autonomous-system',
  'breakout',
  'card-type',
  'configuration-mode',
  'contact',
  'customer',
  'description',
  'encap-type',
  'group',
  'hold-time',
  'keepalive',
  'local-address',
  'local-as',
  'location',
  'loopback',
  'mda-type',
  'mode',
  'mtu',
  'name',
  'peer-as',
  'port',
  'prefix-length',
  'router-id',
  'service-id',
  'text',
  'type',
  'vlan',
]);

/** Values MD-CLI prints in quotes: names and free text. Others (numbers, enums) print bare. */
const quotedValues = new Set([
  'community',
  'contact',
  'customer',
  'description',
  'group',
  'interface',
  'location',
  'name',
  'neighbor',
  'policy-statement',
  'prefix-list',
  'router',
  'router-instance',
  'syslog',
  'text',
  'user',
  'vprn',
  'ies',
  'vpls',
  'epipe',
]);

const enumerations = new Map<string, readonly string[]>([
  ['admin-state', ['enable', 'disable']],
  ['configuration-mode', ['classic', 'mixed', 'model-driven']],
  ['mode', ['access', 'network', 'hybrid']],
]);

/** What `word` is under a block whose own keyword is `parent` (`configure` at the top). */
export function elementKind(parent: string, word: string): ElementKind | undefined {
  // A few words change meaning with their parent, as in the YANG model.
  if (word === 'port') return parent === 'configure' ? listOf([]) : { kind: 'leaf' };
  if (word === 'group') return parent === 'bgp' ? listOf([]) : { kind: 'leaf' };
  if (word === 'address') return parent === 'ipv6' ? listOf([]) : { kind: 'leaf' };
  if (word === 'neighbor') return parent === 'bgp' ? listOf([]) : undefined;
  if (containers.has(word)) return { kind: 'container' };
  const namedKeys = lists.get(word);
  if (namedKeys !== undefined) return listOf(namedKeys);
  if (leaves.has(word)) return { kind: 'leaf' };
  return undefined;
}

function listOf(namedKeys: readonly string[]): ElementKind {
  return { kind: 'list', namedKeys };
}

/** `value` as MD-CLI prints it after `word`. */
export function formatValue(word: string, value: string): string {
  const mustQuote = quotedValues.has(word) || !/^[\w./:-]+$/.test(value);
  return mustQuote ? `"${value}"` : value;
}

/** Undefined when `value` is acceptable for the leaf `word`; otherwise the bad value. */
export function invalidValue(word: string, value: string): string | undefined {
  const allowed = enumerations.get(word);
  if (allowed !== undefined && !allowed.includes(value)) return value;
  if (word === 'prefix-length' && !/^\d{1,3}$/.test(value)) return value;
  return undefined;
}
