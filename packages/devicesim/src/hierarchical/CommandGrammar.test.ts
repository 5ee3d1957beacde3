import { describe, expect, it } from 'vitest';
import { compileSpec, keyOf, matchCommand } from './CommandGrammar.ts';

const specs = [
  'hostname | <word>',
  'interface <word> => if',
  'ip address | <ipv4> <ipv4>',
  'ip route <ipv4> <ipv4> <ip>',
  'ipv6 address <prefix>',
  'description | <line>',
  'neighbor <ip> remote-as | <asn>',
].map(compileSpec);

describe('matchCommand', () => {
  it('expands unique keyword prefixes and keeps arguments as typed', () => {
    const match = matchCommand(specs, 'int GigabitEthernet0/1');
    expect(match).toMatchObject({ kind: 'ok', words: ['interface', 'GigabitEthernet0/1'] });
    expect(match.kind === 'ok' && match.spec.enters).toBe('if');
  });

  it('points at the first word no command accepts', () => {
    expect(matchCommand(specs, 'ip address 10.0.0.1 255.255.255.300')).toEqual({
      kind: 'invalid',
      wordIndex: 3,
      column: 'ip address 10.0.0.1 '.length,
    });
    expect(matchCommand(specs, 'hostname a b')).toMatchObject({ kind: 'invalid', wordIndex: 2 });
  });

  it('tells incomplete from ambiguous', () => {
    expect(matchCommand(specs, 'ip address 10.0.0.1')).toEqual({ kind: 'incomplete' });
    expect(matchCommand(specs, 'i x')).toMatchObject({ kind: 'ambiguous', word: 'i' });
  });

  it('takes the rest of the line for <line>, spaces and all', () => {
    const match = matchCommand(specs, 'description  uplink to  core');
    expect(match.kind === 'ok' && match.words).toEqual(['description', 'uplink to  core']);
  });

  it('accepts a command prefix for no-forms when asked', () => {
    expect(matchCommand(specs, 'neighbor 10.0.0.1', true)).toMatchObject({ kind: 'ok' });
    expect(matchCommand(specs, 'neighbor 10.0.0.1')).toEqual({ kind: 'incomplete' });
  });

  it('keys lines by the words before |, without a leading no', () => {
    const match = matchCommand(specs, 'neighbor 10.0.0.1 remote-as 65001');
    expect(match.kind === 'ok' && keyOf(match.spec, match.words)).toBe(
      'neighbor 10.0.0.1 remote-as',
    );
    const no = compileSpec('no switchport');
    expect(keyOf(no, ['no', 'switchport'])).toBe('switchport');
  });

  it('refuses unknown argument types in patterns', () => {
    expect(() => compileSpec('foo <bogus>')).toThrow(/unknown argument type/);
  });
});
