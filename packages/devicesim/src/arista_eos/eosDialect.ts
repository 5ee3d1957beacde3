import type { CliDialect } from '../hierarchical/CliDialect.ts';
import type { TreeFormat } from '../hierarchical/ConfigTree.ts';
import { eosConfigModes, eosExecSpecs } from './eosGrammar.ts';

export const eosFormat: TreeFormat = {
  indent: '   ',
  blockSeparator: '!',
  closers: {},
  headerPattern: /^! (Command|device|boot system|Time):/,
  endLine: true,
  textBlocks: ['banner login', 'banner motd'],
};

/** EOS prompt names for interfaces: `Et1`, `Lo0`, `Ma1`, `Po10`, `Vl20`. */
export function shortInterfaceName(name: string): string {
  const match = /^([A-Za-z-]+)(.*)$/.exec(name);
  const kind = (match?.[1] ?? '').toLowerCase();
  const short: Record<string, string> = {
    ethernet: 'Et',
    loopback: 'Lo',
    management: 'Ma',
    'port-channel': 'Po',
    vlan: 'Vl',
  };
  return `${short[kind] ?? match?.[1] ?? ''}${match?.[2] ?? ''}`;
}

function label(mode: string, block: string | undefined): string {
  const last = block?.split(' ').at(-1) ?? '';
  switch (mode) {
    case 'if':
      return `config-if-${shortInterfaceName(last)}`;
    case 'vrf':
      return `config-vrf-${last}`;
    case 'router':
      return 'config-router-bgp';
    case 'router-af':
      return 'config-router-bgp-af';
    case 'vlan':
      return `config-vlan-${last}`;
    case 'mgmt-api':
      return 'config-mgmt-api-http-cmds';
    case 'mgmt-api-vrf':
      return `config-mgmt-api-http-cmds-vrf-${last}`;
    default:
      return 'config';
  }
}

/** EOS prompts and messages (devices.md §1, §2, §4). */
export const eosDialect: CliDialect = {
  grammar: { modes: eosConfigModes, format: eosFormat },
  execSpecs: eosExecSpecs,
  modeLabel: label,
  promptSuffix: '',
  pagerPrompt: ' --More-- ',
  defaultPageLines: 24,
  enterConfigMessage: '',
  invalid: (site) => `% Invalid input (at token ${site.wordNumber - 1}: '${site.word}')\n`,
  incomplete: () => '% Incomplete command\n',
  ambiguous: (site) => `% Ambiguous command (at token ${site.wordNumber - 1}: '${site.word}')\n`,
  showInConfig: true,
};
