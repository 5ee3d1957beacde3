import type { CliReply, DeviceCli, PagerSettings } from '../DeviceCli.ts';
import type { DeviceFaults } from '../DeviceFaults.ts';
import type { SimDevice, SimPlatform } from '../SimDevice.ts';

export interface SshTestDeviceOptions {
  hostname: string;
  faults?: DeviceFaults;
  /** The label it reports; it behaves like no vendor whatever the label. */
  platform?: SimPlatform;
  initialConfig?: string;
}

/**
 * Not a vendor: the smallest engine that exercises the SSH server and the driver session
 * layer (prompts, a config mode, paging, long output). Commands: `terminal length N`,
 * `show running-config`, `echo TEXT`, `lines N` (N numbered lines, pageable),
 * `configure terminal` (each line is appended to the config until `end`), `exit`.
 */
export class SshTestDevice implements SimDevice {
  readonly platform: SimPlatform;
  readonly hostname: string;
  readonly faults: DeviceFaults;
  configLines: string[];

  constructor(options: SshTestDeviceOptions) {
    this.hostname = options.hostname;
    this.platform = options.platform ?? 'cisco_ios';
    this.faults = options.faults ?? {};
    this.configLines = (options.initialConfig ?? `hostname ${options.hostname}\n`)
      .split('\n')
      .filter((line) => line !== '');
  }

  openSession(): DeviceCli {
    return new SshTestCli(this);
  }

  runningConfig(): string {
    return `${this.configLines.join('\n')}\n`;
  }
}

class SshTestCli implements DeviceCli {
  private linesPerPage = 24;
  private configMode = false;

  constructor(private readonly device: SshTestDevice) {}

  greeting(): string {
    return `\nWelcome to ${this.device.hostname}, an SSH test device.\n\n`;
  }

  prompt(): string {
    return `${this.device.hostname}${this.configMode ? '(config)' : ''}# `;
  }

  pager(): PagerSettings {
    return { linesPerPage: this.linesPerPage, prompt: ' --More-- ' };
  }

  execute(line: string): CliReply {
    const command = line.trim();
    if (this.configMode) return this.configure(command);
    const [verb = '', ...rest] = command.split(/\s+/);
    const argument = rest.join(' ');
    if (command === '') return { output: '' };
    if (/^terminal length \d+$/.test(command)) {
      this.linesPerPage = Number(rest[1]);
      return { output: '' };
    }
    if (command === 'show running-config') {
      const output = `Building configuration...\n\n${this.device.runningConfig()}end\n`;
      return { output, pageable: true };
    }
    if (verb === 'echo') return { output: argument };
    if (verb === 'lines' && /^\d{1,6}$/.test(argument)) return numberedLines(Number(argument));
    if (command === 'configure terminal') {
      this.configMode = true;
      return { output: 'Enter configuration commands, one per line.' };
    }
    if (command === 'exit' || command === 'logout') return { output: '', close: true };
    return { output: `% Unknown command: ${command}` };
  }

  interrupt(): CliReply {
    this.configMode = false;
    return { output: '' };
  }

  disconnect(): void {
    this.configMode = false;
  }

  private configure(command: string): CliReply {
    if (command === 'end') {
      this.configMode = false;
      return { output: '' };
    }
    if (command.startsWith('bad')) return { output: `% Unknown command: ${command}` };
    if (command !== '') this.device.configLines.push(command);
    return { output: '' };
  }
}

function numberedLines(count: number): CliReply {
  const lines = Array.from({ length: count }, (_, i) => `line ${i + 1} of ${count}`);
  return { output: lines.join('\n'), pageable: true };
}
