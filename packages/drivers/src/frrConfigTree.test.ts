import { describe, expect, it } from 'vitest';
import { frrRestoreCommands, parseFrrConfig } from './frrConfigTree.ts';

const prior = `!
frr version 8.4.4
frr defaults traditional
hostname lab-frr1
!
ip route 198.51.100.0/24 blackhole
!
interface lo
 description lab loopback
exit
!
router bgp 65001
 neighbor 10.255.1.2 remote-as 65002
 !
 address-family ipv4 unicast
  network 10.255.1.0/24
 exit-address-family
exit
!
end
`;

describe('parseFrrConfig', () => {
  it('nests lines by indentation and drops exit lines and comments', () => {
    const tree = parseFrrConfig(prior);
    expect(tree.map((node) => node.line)).toEqual([
      'hostname lab-frr1',
      'ip route 198.51.100.0/24 blackhole',
      'interface lo',
      'router bgp 65001',
    ]);
    const bgp = tree[3];
    expect(bgp?.children.map((node) => node.line)).toEqual([
      'neighbor 10.255.1.2 remote-as 65002',
      'address-family ipv4 unicast',
    ]);
    expect(bgp?.children[1]?.children[0]?.line).toBe('network 10.255.1.0/24');
  });
});

describe('frrRestoreCommands', () => {
  it('is empty when nothing changed', () => {
    expect(frrRestoreCommands(prior, prior)).toEqual([]);
  });

  it('negates additions and re-enters removals under their blocks', () => {
    const current = prior
      .replace('ip route 198.51.100.0/24 blackhole', 'ip route 203.0.113.0/24 blackhole')
      .replace('  network 10.255.1.0/24\n', '  network 10.9.0.0/16\n');
    expect(frrRestoreCommands(prior, current)).toEqual([
      'no ip route 203.0.113.0/24 blackhole',
      'ip route 198.51.100.0/24 blackhole',
      'router bgp 65001',
      'address-family ipv4 unicast',
      'no network 10.9.0.0/16',
      'exit',
      'exit',
      'router bgp 65001',
      'address-family ipv4 unicast',
      'network 10.255.1.0/24',
      'exit',
      'exit',
    ]);
  });

  it('replaces a single-valued setting instead of negating it first', () => {
    const current = prior.replace('hostname lab-frr1', 'hostname other');
    expect(frrRestoreCommands(prior, current)).toEqual(['hostname lab-frr1']);
  });

  it('removes a whole added block by negating its header, and rebuilds a removed one', () => {
    const added = prior.replace('!\nend', 'interface eth9\n description new\nexit\n!\nend');
    expect(frrRestoreCommands(prior, added)).toEqual(['no interface eth9']);
    const removed = prior.replace('interface lo\n description lab loopback\nexit\n', '');
    expect(frrRestoreCommands(prior, removed)).toEqual([
      'interface lo',
      'description lab loopback',
      'exit',
    ]);
  });
});
