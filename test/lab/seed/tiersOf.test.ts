import { describe, expect, it } from 'vitest';
import { tiersOf } from './tiersOf.js';

interface Node {
  name: string;
  parent: string | null;
}

const tiers = (nodes: Node[]) =>
  tiersOf(
    nodes,
    (n) => n.name,
    (n) => n.parent,
  ).map((tier) => tier.map((n) => n.name));

describe('tiersOf', () => {
  it('puts roots first and each child one tier below its parent', () => {
    const nodes = [
      { name: '10/8', parent: null },
      { name: 'v6', parent: null },
      { name: '10.1/16', parent: '10/8' },
      { name: '10.1.0/24', parent: '10.1/16' },
      { name: 'v6:1', parent: 'v6' },
    ];
    expect(tiers(nodes)).toEqual([['10/8', 'v6'], ['10.1/16', 'v6:1'], ['10.1.0/24']]);
  });

  it('refuses a child listed before its parent', () => {
    const nodes = [
      { name: 'child', parent: 'root' },
      { name: 'root', parent: null },
    ];
    expect(() => tiers(nodes)).toThrow('plan lists child before its parent root');
  });
});
