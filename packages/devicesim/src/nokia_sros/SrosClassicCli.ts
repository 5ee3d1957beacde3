import type { CliReply, DeviceCli, PagerSettings } from '../DeviceCli.ts';
import type { SrosNode } from './SrosConfig.ts';
import type { SrosDevice } from './SrosDevice.ts';

const reply = (output: string, pageable = false): CliReply => ({ output, pageable });

/**
 * The SR OS classic CLI, for reading only: `A:node# `, `environment no more`,
 * `admin display-config` with its `# Generated` and `# Finished` lines, and the classic pager.
 * The configuration is the same tree as MD-CLI's, laid out the classic way (indented blocks
 * closed by `exit`); element names stay MD-CLI's, where a real classic config says
 * `no shutdown` for `admin-state enable` and so on (known shortcoming). Configuration
 * commands are refused: classic applies them at once with no candidate, and no driver
 * pushes through it.
 */
export class SrosClassicCli implements DeviceCli {
  private readonly device: SrosDevice;
  private more = true;

  constructor(device: SrosDevice) {
    this.device = device;
  }

  greeting(): string {
    return this.device.motd();
  }

  prompt(): string {
    return `A:${this.device.promptHostname()}# `;
  }

  pager(): PagerSettings | undefined {
    return this.more
      ? { linesPerPage: 24, prompt: 'Press any key to continue (Q to quit)' }
      : undefined;
  }

  execute(line: string): CliReply {
    const words = line.trim().split(/\s+/).join(' ');
    if (words === '') return reply('');
    if (words === 'environment no more') {
      this.more = false;
      return reply('');
    }
    if (words === 'environment more') {
      this.more = true;
      return reply('');
    }
    if (words === 'admin display-config') return reply(this.displayConfig(), true);
    if (words === 'show version') return reply(this.device.header[0]?.slice(2) ?? '');
    if (words === 'logout' || words === 'exit all') return { output: '', close: true };
    if (words.startsWith('configure')) {
      return reply('MINOR: CLI #1001: Configuration through the classic CLI is not simulated');
    }
    return reply(`${' '.repeat(this.prompt().length)}^\nError: Bad command.`);
  }

  disconnect(): void {}

  private displayConfig(): string {
    const now = classicTime(this.device.clock.now());
    const header = this.device.header.filter((line) => !line.startsWith('# Configuration format'));
    return [
      ...header,
      `# Generated ${now}`,
      '',
      'exit all',
      'configure',
      '#--------------------------------------------------',
      'echo "Configuration"',
      '#--------------------------------------------------',
      ...renderClassic(this.device.running.tree(), 1),
      'exit all',
      '',
      `# Finished ${now}`,
    ].join('\n');
  }
}

function renderClassic(nodes: readonly SrosNode[], depth: number): string[] {
  const pad = '    '.repeat(depth);
  return nodes.flatMap((node) =>
    'line' in node
      ? [`${pad}${node.line}`]
      : [`${pad}${node.header}`, ...renderClassic(node.children, depth + 1), `${pad}exit`],
  );
}

/** `THU DEC 04 04:44:25 2026 UTC`, the classic timestamp form. */
function classicTime(ms: number): string {
  const date = new Date(ms);
  const day = date.toUTCString().slice(0, 3).toUpperCase();
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' }).toUpperCase();
  const dd = String(date.getUTCDate()).padStart(2, '0');
  const time = date.toISOString().slice(11, 19);
  return `${day} ${month} ${dd} ${time} ${date.getUTCFullYear()} UTC`;
}
