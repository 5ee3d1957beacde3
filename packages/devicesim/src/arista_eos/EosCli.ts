import type { CliReply } from '../DeviceCli.ts';
import type { ConfigSession } from '../hierarchical/ConfigSession.ts';
import {
  ConfigTree,
  insertChild,
  removeChild,
  textBlockEnd,
  textBlockNode,
} from '../hierarchical/ConfigTree.ts';
import { type ExecCommand, HierarchicalCli } from '../hierarchical/HierarchicalCli.ts';
import { unifiedDiff } from '../hierarchical/unifiedDiff.ts';
import type { EosDevice } from './EosDevice.ts';

/** Timers are limited to a day here; EOS's own upper bound is not in devices.md. */
const maxTimerMs = 24 * 3_600_000;
/** Longest banner kept; further lines are dropped, so a runaway paste stays bounded. */
const maxBannerLines = 200;

/**
 * One EOS login: config sessions with `commit`, `commit timer`, `abort` and
 * `show session-config diffs`. Session error texts other than `% Cannot commit` and the
 * `pendingCommitTimer` state name are modelled on EOS's style, not copied from a device.
 */
export class EosCli extends HierarchicalCli<EosDevice> {
  private session: ConfigSession | undefined;
  /** While a `banner motd` is being typed: its header and the lines so far. */
  private banner: { header: string; lines: string[] } | undefined;

  /** The `banner motd` text, as EOS prints it after login. */
  override greeting(): string {
    const motd = this.device.running.root.children.find(
      (child) => child.textBlock === true && child.text === 'banner motd',
    );
    return motd === undefined ? '' : motd.children.map((line) => `${line.text}\n`).join('');
  }

  override prompt(): string {
    return this.banner === undefined ? super.prompt() : '';
  }

  override execute(line: string): CliReply | Promise<CliReply> {
    const banner = this.banner;
    if (banner === undefined) return super.execute(line);
    if (line.trim() !== textBlockEnd) {
      if (banner.lines.length < maxBannerLines) banner.lines.push(line);
      return { output: '' };
    }
    this.banner = undefined;
    const root = this.configTree().root;
    const old = root.children.find(
      (child) => child.textBlock === true && child.text === banner.header,
    );
    if (old !== undefined) removeChild(root, old);
    const node = textBlockNode(banner.header, banner.lines);
    insertChild(root, node, this.device.dialect.grammar.format, true);
    this.configChanged();
    return { output: '' };
  }

  interrupt(): CliReply {
    this.banner = undefined;
    return { output: '' };
  }

  override disconnect(): void {
    this.banner = undefined;
    super.disconnect();
  }

  protected override configTree(): ConfigTree {
    return this.session?.candidate ?? this.device.running;
  }

  protected override configChanged(): void {
    if (this.session === undefined) super.configChanged();
  }

  protected override configLabel(): string {
    const label = super.configLabel();
    if (this.session === undefined) return label;
    const prefix = `config-s-${this.session.name.slice(0, 6)}`;
    return label === 'config' ? prefix : `${prefix}-${label.replace(/^config-/, '')}`;
  }

  protected override leaveConfig(): void {
    super.leaveConfig();
    this.session = undefined;
  }

  protected override terminalLengthMessage(lines: number): string {
    return lines === 0 ? 'Pagination disabled.\n' : `Pagination set to ${lines} lines.\n`;
  }

  protected override terminalWidthMessage(columns: number): string {
    return `Width set to ${columns} columns.\n`;
  }

  protected showRunningConfig(): string {
    const { hostname, model, version } = this.device;
    return [
      '! Command: show running-config',
      `! device: ${hostname} (${model}, ${version})`,
      '!',
      `! boot system flash:/${model}.swi`,
      this.device.runningConfig(),
    ].join('\n');
  }

  protected override vendorConfigCommand(line: string): CliReply | undefined {
    const bannerHeader = /^banner\s+(motd|login)$/i.exec(line)?.[1];
    if (bannerHeader !== undefined) {
      this.banner = { header: `banner ${bannerHeader.toLowerCase()}`, lines: [] };
      return { output: "Enter TEXT message.  Type 'EOF' on its own line to end.\n" };
    }
    const session = this.session;
    if (session === undefined) return undefined;
    if (line === 'abort') {
      session.state = 'aborted';
      this.leaveConfig();
      return { output: '' };
    }
    if (line === 'rollback clean-config') {
      session.candidate = new ConfigTree();
      this.stack = this.stack.slice(0, 1);
      return { output: '' };
    }
    if (line === 'commit') return this.commit(session, undefined);
    const timer = /^commit timer (\d{1,2}):(\d{2}):(\d{2})$/.exec(line);
    if (timer === null) return undefined;
    const [hours, minutes, seconds] = timer.slice(1).map(Number) as [number, number, number];
    const timerMs = ((hours * 60 + minutes) * 60 + seconds) * 1000;
    if (timerMs === 0 || timerMs > maxTimerMs || minutes > 59 || seconds > 59) {
      return { output: `% Invalid input (at token 2: '${line.split(' ')[2]}')\n` };
    }
    return this.commit(session, timerMs);
  }

  private commit(session: ConfigSession, timerMs: number | undefined): CliReply {
    const blocker = this.device.pendingTimerSession();
    if (blocker !== undefined && blocker !== session) {
      return {
        output:
          `% Cannot commit session ${session.name}: ` +
          `session ${blocker.name} is pendingCommitTimer\n`,
      };
    }
    if (this.device.takeCommitFault()) {
      return {
        output: `% Cannot commit session ${session.name}: configuration agent refused the commit\n`,
      };
    }
    this.device.commitSession(session, this.username, timerMs);
    this.leaveConfig();
    return { output: '' };
  }

  protected vendorAction({ action, words }: ExecCommand): CliReply | undefined {
    const name = words[2];
    switch (action) {
      case 'configSession':
        return this.enterSession(name ?? `session${this.device.sessions.size + 1}`);
      case 'sessionCommit':
        return this.confirmOrCommit(name ?? '');
      case 'sessionAbort':
        return this.abortByName(name ?? '');
      case 'sessionDiffs':
        return this.sessionDiffs();
      case 'sessionConfig':
        return this.session === undefined
          ? { output: '% Not in a configuration session\n' }
          : { output: `${this.renderTree(this.session.candidate)}\n`, pageable: true };
      case 'showSessions':
        return { output: this.sessionTable(), pageable: true };
      case 'writeMemory':
        this.device.startup = this.device.running.clone();
        return { output: 'Copy completed successfully.\n' };
      case 'showStartup':
        return { output: `${this.renderTree(this.device.startup)}\n`, pageable: true };
      case 'showVersion':
        return {
          output: [
            `Arista ${this.device.model}`,
            `Software image version: ${this.device.version.replace(/^EOS-/, '')}`,
            `Uptime: ${Math.floor(this.device.clock.now() / 60_000)} minutes`,
            '',
          ].join('\n'),
        };
      default:
        return undefined;
    }
  }

  private renderTree(tree: ConfigTree): string {
    return tree.render(this.device.dialect.grammar.format).join('\n');
  }

  private enterSession(name: string): CliReply {
    const existing = this.device.sessions.get(name);
    if (existing?.state === 'pendingCommitTimer') {
      return { output: `% Cannot enter session ${name} (session state is pendingCommitTimer)\n` };
    }
    if (existing?.state === 'completed' || existing?.state === 'aborted') {
      return { output: `% Cannot enter session ${name} (session state is ${existing.state})\n` };
    }
    const session = existing ?? { name, candidate: this.device.running.clone(), state: 'pending' };
    this.device.sessions.set(name, session);
    this.enterConfig();
    this.session = session;
    return { output: '' };
  }

  private confirmOrCommit(name: string): CliReply {
    const session = this.device.sessions.get(name);
    if (session === undefined) return { output: `% Session ${name} does not exist\n` };
    if (session.state === 'pendingCommitTimer') {
      this.device.confirmSession(session);
      return { output: '' };
    }
    if (session.state !== 'pending') {
      return { output: `% Cannot commit session ${name} (session state is ${session.state})\n` };
    }
    return this.commit(session, undefined);
  }

  private abortByName(name: string): CliReply {
    const session = this.device.sessions.get(name);
    if (session === undefined) return { output: `% Session ${name} does not exist\n` };
    if (session.state === 'pendingCommitTimer') this.device.rollBack(session, this.username);
    else if (session.state === 'pending') session.state = 'aborted';
    return { output: '' };
  }

  private sessionDiffs(): CliReply {
    const session = this.session;
    if (session === undefined) return { output: '% Not in a configuration session\n' };
    const format = this.device.dialect.grammar.format;
    const diff = unifiedDiff(this.device.running.render(format), session.candidate.render(format), {
      before: 'system:/running-config',
      after: `session:/${session.name}-session-config`,
    });
    return { output: diff, pageable: true };
  }

  private sessionTable(): string {
    const rows = [...this.device.sessions.values()].map(
      (s) => `   ${s.name.padEnd(24)} ${s.state.padEnd(22)} ${this.username}`,
    );
    return [
      'Maximum number of completed sessions: 1',
      'Maximum number of pending sessions: 5',
      '',
      `   ${'Name'.padEnd(24)} ${'State'.padEnd(22)} User`,
      `   ${'-'.repeat(24)} ${'-'.repeat(22)} ${'-'.repeat(8)}`,
      ...rows,
      '',
    ].join('\n');
  }
}
