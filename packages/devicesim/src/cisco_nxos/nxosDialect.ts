import type { CliDialect } from '../hierarchical/CliDialect.ts';
import type { TreeFormat } from '../hierarchical/ConfigTree.ts';
import { nxosConfigModes, nxosExecSpecs } from './nxosGrammar.ts';

export const nxosFormat: TreeFormat = {
  indent: '  ',
  blockSeparator: '',
  closers: {},
  headerPattern: /^!(Command|Running configuration last done|Time):/i,
  endLine: false,
};

const labels: Record<string, string> = {
  config: 'config',
  if: 'config-if',
  vrf: 'config-vrf',
  'vrf-af': 'config-vrf-af-ipv4',
  vlan: 'config-vlan',
  line: 'config-line',
  'line-console': 'config-console',
  router: 'config-router',
  'router-af': 'config-router-af',
  'router-ospf': 'config-router',
  neighbor: 'config-router-neighbor',
  'neighbor-af': 'config-router-neighbor-af',
};

const caret = (column: number) => `${' '.repeat(column)}^\n`;

/** NX-OS prompts (with the trailing space) and messages (devices.md §1, §4). */
export const nxosDialect: CliDialect = {
  grammar: { modes: nxosConfigModes, format: nxosFormat },
  execSpecs: nxosExecSpecs,
  modeLabel: (mode) => labels[mode] ?? 'config',
  promptSuffix: ' ',
  pagerPrompt: '--More--',
  defaultPageLines: 24,
  enterConfigMessage: 'Enter configuration commands, one per line. End with CNTL/Z.\n',
  invalid: (site) => `${caret(site.caretColumn)}% Invalid command at '^' marker.\n`,
  incomplete: (site) =>
    `${caret(site.caretColumn + site.line.trimEnd().length + 1)}` +
    "% Incomplete command at '^' marker.\n",
  ambiguous: (site) => `${caret(site.caretColumn)}% Ambiguous command at '^' marker.\n`,
  showInConfig: true,
};
