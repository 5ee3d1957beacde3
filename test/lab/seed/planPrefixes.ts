import { ipv4Root, ipv6Root, siteNetworks } from './addressing.js';
import type { PlannedPrefix } from './InventoryPlan.js';
import { seededTag } from './planCatalog.js';
import type { PlannedSite } from './planSites.js';

/** Two roots, then per site one container and its networks for each address family. */
export function planPrefixes(sites: readonly PlannedSite[]): PlannedPrefix[] {
  const roots: PlannedPrefix[] = [
    container(ipv4Root, null, null, 'Lab IPv4 space'),
    container(ipv6Root, null, null, 'Lab IPv6 space (documentation range)'),
  ];
  const siteContainers: PlannedPrefix[] = [];
  const networks: PlannedPrefix[] = [];
  for (const site of sites) {
    const net = siteNetworks(site.number);
    siteContainers.push(
      container(net.ipv4, ipv4Root, site.name, `${site.name} IPv4`),
      container(net.ipv6, ipv6Root, site.name, `${site.name} IPv6`),
    );
    networks.push(
      network(net.management4, net.ipv4, site.name, `${site.name} management`),
      network(net.loopback4, net.ipv4, site.name, `${site.name} loopbacks`),
      network(net.uplink4, net.ipv4, site.name, `${site.name} uplinks`),
      network(net.loopback6, net.ipv6, site.name, `${site.name} loopbacks`),
      network(net.uplink6, net.ipv6, site.name, `${site.name} uplinks`),
    );
  }
  return [...roots, ...siteContainers, ...networks];
}

function container(
  prefix: string,
  parent: string | null,
  location: string | null,
  description: string,
): PlannedPrefix {
  return { prefix, type: 'container', parent, location, description, tags: [seededTag] };
}

function network(
  prefix: string,
  parent: string,
  location: string,
  description: string,
): PlannedPrefix {
  return { prefix, type: 'network', parent, location, description, tags: [seededTag] };
}
