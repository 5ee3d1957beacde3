import type { CliDialect } from '../hierarchical/CliDialect.ts';
import type { TreeFormat } from '../hierarchical/ConfigTree.ts';
import { iosConfigModes, iosExecSpecs } from './iosGrammar.ts';

export const iosFormat: TreeFormat = {
  indent: ' ',
  blockSeparator: '!',
  closers: { 'address-family': 'exit-address-family' },
  headerPattern:
    /^(Building configuration|Current configuration|! (Last|No) configuration change|! NVRAM|\s*$)/,
  endLine: true,
};

const labels: Record<string, string> = {
  config: 'config',
  if: 'config-if',
  router: 'config-router',
  'router-af': 'config-router-af',
  'router-ospf': 'config-router',
  vrf: 'config-vrf',
  'vrf-af': 'config-vrf-af',
  line: 'config-line',
  vlan: 'config-vlan',
  archive: 'config-archive',
};

/** IOS-XE prompts and messages (devices.md §1, §4). */
export const iosDialect: CliDialect = {
  grammar: { modes: iosConfigModes, format: iosFormat },
  execSpecs: iosExecSpecs,
  modeLabel: (mode) => labels[mode] ?? 'config',
  promptSuffix: '',
  pagerPrompt: ' --More-- ',
  defaultPageLines: 24,
  enterConfigMessage: 'Enter configuration commands, one per line.  End with CNTL/Z.\n',
  invalid(site) {
    if (site.where === 'exec' && site.wordNumber === 1 && !site.line.trim().includes(' ')) {
      const unknown = '% Unknown command or computer name, or unable to find computer address';
      return `Translating "${site.word}"\n\n${unknown}\n`;
    }
    return `${' '.repeat(site.caretColumn)}^\n% Invalid input detected at '^' marker.\n\n`;
  },
  incomplete: () => '% Incomplete command.\n\n',
  ambiguous: (site) => `% Ambiguous command:  "${site.line.trim()}"\n`,
  showInConfig: false,
};
