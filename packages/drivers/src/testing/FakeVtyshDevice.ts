import type { CliReply, DeviceCli, PagerSettings, SimDevice } from '@plumbline/devicesim';

interface Block {
  header: string;
  lines: string[];
}

type Mode = { kind: 'exec' } | { kind: 'config' } | { kind: 'block'; block: Block };

const blockHeader = /^(interface \S+|router bgp \d+|router ospf)$/;
const topLine = /^(ip route \S+ \S+|log syslog \S+)$/;
const blockLine = /^(description .+|ip address \S+|neighbor \S+ remote-as \d+)$/;

/**
 * Not FRR: a few vtysh behaviours, enough to drive the FRR driver's timers, reconnects and
 * restores without the lab. Live, line-by-line config; `interface`, `router bgp N` and
 * `router ospf` blocks one level deep; `hostname`, `ip route`, `log syslog`; `no` of each;
 * vtysh's error wordings; a sub-mode falls back to the top level for top-level commands, as
 * vtysh does. The real router is tested in test/integration/frr-driver.test.ts.
 */
export class FakeVtyshDevice implements SimDevice {
  // SimPlatform has no `frr` (FRR is not simulated); the label is only reported.
  readonly platform = 'cisco_ios' as const;
  hostname: string;
  topLines: string[] = ['ip route 198.51.100.0/24 blackhole'];
  blocks: Block[] = [
    { header: 'interface lo', lines: ['description lab loopback'] },
    { header: 'router bgp 65001', lines: ['neighbor 10.255.1.2 remote-as 65002'] },
  ];
  /** The config `write memory` saved last. */
  saved: string | undefined;

  constructor(hostname = 'sim-frr') {
    this.hostname = hostname;
  }

  openSession(): DeviceCli {
    return new FakeVtyshCli(this);
  }

  runningConfig(): string {
    const blocks = this.blocks.map(
      (block) => `${block.header}\n${block.lines.map((line) => ` ${line}\n`).join('')}exit\n!\n`,
    );
    return [
      '!\nfrr version 8.4.4\nfrr defaults traditional\n',
      `hostname ${this.hostname}\n`,
      ...this.topLines.map((line) => `${line}\n`),
      '!\n',
      ...blocks,
      'end\n',
    ].join('');
  }
}

class FakeVtyshCli implements DeviceCli {
  private mode: Mode = { kind: 'exec' };

  constructor(private readonly device: FakeVtyshDevice) {}

  greeting(): string {
    return (
      '\nHello, this is FRRouting (version 8.4.4).\n' +
      'Copyright 1996-2005 Kunihiro Ishiguro, et al.\n\n'
    );
  }

  prompt(): string {
    const { mode } = this;
    if (mode.kind === 'exec') return `${this.device.hostname}# `;
    if (mode.kind === 'config') return `${this.device.hostname}(config)# `;
    const sub = mode.block.header.startsWith('interface') ? 'config-if' : 'config-router';
    return `${this.device.hostname}(${sub})# `;
  }

  pager(): PagerSettings | undefined {
    return undefined;
  }

  disconnect(): void {
    this.mode = { kind: 'exec' };
  }

  execute(entered: string): CliReply {
    const line = entered.trim();
    if (line === '') return { output: '' };
    if (this.mode.kind === 'exec') return this.exec(line);
    if (line === 'end') return this.enter({ kind: 'exec' });
    if (line === 'exit') {
      return this.enter(this.mode.kind === 'block' ? { kind: 'config' } : { kind: 'exec' });
    }
    const { mode } = this;
    if (mode.kind === 'block' && /^(no )?(description|ip address|neighbor)\b/.test(line)) {
      return this.inBlock(mode.block, line);
    }
    return this.topLevel(line);
  }

  private exec(line: string): CliReply {
    const { device } = this;
    if (line === 'terminal length 0') return { output: '' };
    if (line === 'configure terminal') return this.enter({ kind: 'config' });
    if (line === 'show running-config') {
      return {
        output: `Building configuration...\n\nCurrent configuration:\n${device.runningConfig()}`,
      };
    }
    if (line === 'write memory') {
      device.saved = device.runningConfig();
      return {
        output:
          'Note: this version of vtysh never writes vtysh.conf\nBuilding Configuration...\n' +
          'Integrated configuration saved to /etc/frr/frr.conf\n[OK]',
      };
    }
    return unknown(line);
  }

  private topLevel(line: string): CliReply {
    const { device } = this;
    const negated = line.startsWith('no ') ? line.slice(3) : undefined;
    if (blockHeader.test(line)) {
      let block = device.blocks.find((candidate) => candidate.header === line);
      if (block === undefined) {
        block = { header: line, lines: [] };
        device.blocks.push(block);
      }
      return this.enter({ kind: 'block', block });
    }
    if (negated !== undefined && blockHeader.test(negated)) {
      device.blocks = device.blocks.filter((block) => block.header !== negated);
      return this.enter({ kind: 'config' });
    }
    const hostname = /^hostname (\S+)$/.exec(line);
    if (hostname?.[1] !== undefined) {
      device.hostname = hostname[1];
      return this.enter({ kind: 'config' });
    }
    if (topLine.test(line)) {
      if (!device.topLines.includes(line)) device.topLines.push(line);
      return this.enter({ kind: 'config' });
    }
    if (negated !== undefined && topLine.test(negated)) {
      if (!device.topLines.includes(negated)) {
        return { output: '% Refusing to remove a non-existent route' };
      }
      device.topLines = device.topLines.filter((kept) => kept !== negated);
      return this.enter({ kind: 'config' });
    }
    return unknown(line);
  }

  private inBlock(block: Block, line: string): CliReply {
    const negated = line.startsWith('no ') ? line.slice(3) : undefined;
    if (negated !== undefined) {
      const key = settingOf(negated);
      block.lines = block.lines.filter((kept) => settingOf(kept) !== key);
      return { output: '' };
    }
    if (!blockLine.test(line)) return unknown(line);
    // Each setting holds one value: a new one replaces the old.
    block.lines = block.lines.filter((kept) => settingOf(kept) !== settingOf(line));
    block.lines.push(line);
    return { output: '' };
  }

  private enter(mode: Mode): CliReply {
    this.mode = mode;
    return { output: '' };
  }
}

/** `description`, `ip address`, or `neighbor ADDRESS`: what one value is kept for. */
function settingOf(line: string): string {
  const words = line.split(' ');
  return (
    words[0] === 'ip' || words[0] === 'neighbor' ? words.slice(0, 2) : words.slice(0, 1)
  ).join(' ');
}

function unknown(line: string): CliReply {
  return { output: `% Unknown command: ${line}` };
}
