import { BlockList, isIP } from 'node:net';

/**
 * Whether `NO_PROXY` exempts a host: `*` exempts all; an entry is a host name (matching it
 * and its subdomains, with or without a leading `.` or `*.`), an IP address, or a CIDR range,
 * each optionally with `:port`. Entries are separated by commas or spaces.
 */
export function matchesNoProxy(hostname: string, port: number, noProxy: string): boolean {
  const host = stripBrackets(hostname.toLowerCase());
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (matchesEntry(host, name)) return true;
  }
  return false;
}

function matchesEntry(host: string, name: string): boolean {
  if (name.includes('/')) return inCidr(host, name);
  if (isIP(name) !== 0) return host === name;
  const domain = name.replace(/^\*?\./, '');
  return host === domain || host.endsWith(`.${domain}`);
}

function inCidr(host: string, cidr: string): boolean {
  const family = isIP(host);
  const [network, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (family === 0 || network === undefined || isIP(network) !== family) return false;
  if (!Number.isInteger(prefix)) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  try {
    list.addSubnet(network, prefix, type);
  } catch {
    return false;
  }
  return list.check(host, type);
}

function splitPort(entry: string): { name: string; entryPort: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    return { name: bracketed[1] ?? '', entryPort: toPort(bracketed[2]) };
  }
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [name, port] = entry.split(':');
    return { name: name ?? '', entryPort: toPort(port) };
  }
  return { name: entry, entryPort: undefined };
}

function toPort(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : Number(text);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
