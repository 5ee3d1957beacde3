import { describe, expect, it } from 'vitest';
import { iosFormat } from '../cisco_ios/iosDialect.ts';
import { nxosFormat } from '../cisco_nxos/nxosDialect.ts';
import { ConfigTree, insertChild, removeChild } from './ConfigTree.ts';

const ios = [
  '!',
  'hostname r1',
  '!',
  'router bgp 1',
  ' bgp log-neighbor-changes',
  ' !',
  ' address-family ipv4',
  '  network 10.0.0.0 mask 255.0.0.0',
  ' exit-address-family',
  '!',
  'end',
].join('\n');

describe('ConfigTree', () => {
  it('parses indented blocks and renders them back line for line', () => {
    const tree = ConfigTree.parse(ios, iosFormat);
    expect(tree.render(iosFormat).join('\n')).toBe(ios);
    const af = tree.find(['router bgp 1', 'address-family ipv4']);
    expect(af?.children.map((c) => c.text)).toEqual(['network 10.0.0.0 mask 255.0.0.0']);
  });

  it('drops the header lines the device prints itself', () => {
    const shown = `Building configuration...\n\nCurrent configuration : 99 bytes\n${ios}`;
    expect(ConfigTree.parse(shown, iosFormat).render(iosFormat).join('\n')).toBe(ios);
  });

  it('adds a new top-level block with its separator and removes it with the separator', () => {
    const tree = ConfigTree.parse(ios, iosFormat);
    const block = { text: 'interface Loopback1', children: [] };
    insertChild(tree.root, block, iosFormat, true);
    block.children.push({ text: 'description x', children: [] } as never);
    expect(tree.render(iosFormat).slice(-4)).toEqual([
      'interface Loopback1',
      ' description x',
      '!',
      'end',
    ]);
    removeChild(tree.root, block);
    expect(tree.render(iosFormat).join('\n')).toBe(ios);
  });

  it('separates a new NX-OS block with blank lines', () => {
    const text = 'hostname n1\n\ninterface loopback0\n  description a';
    const tree = ConfigTree.parse(text, nxosFormat);
    insertChild(tree.root, { text: 'interface loopback1', children: [] }, nxosFormat, true);
    expect(tree.render(nxosFormat)).toEqual([
      'hostname n1',
      '',
      'interface loopback0',
      '  description a',
      '',
      'interface loopback1',
      '',
    ]);
  });

  it('clones deeply, so that a snapshot does not follow later edits', () => {
    const tree = ConfigTree.parse(ios, iosFormat);
    const snapshot = tree.clone();
    const hostname = tree.find(['hostname r1']);
    if (hostname !== undefined) hostname.text = 'hostname r2';
    expect(snapshot.find(['hostname r1'])).toBeDefined();
  });
});
