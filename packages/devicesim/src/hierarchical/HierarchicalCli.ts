import type { CliReply, DeviceCli, PagerSettings } from '../DeviceCli.ts';
import { applyPipe } from './applyPipe.ts';
import type { ErrorSite } from './CliDialect.ts';
import { type MatchResult, matchCommand, splitWords } from './CommandGrammar.ts';
import { applyConfigLine, type ModeLevel } from './ConfigEditor.ts';
import type { ConfigTree } from './ConfigTree.ts';
import type { HierarchicalDevice } from './HierarchicalDevice.ts';

/** Exec actions a user-level (`>`) login may run; everything else needs `enable`. */
const userExecActions = new Set(['enable', 'exit', 'termLength', 'termWidth', 'showVersion']);

/** A matched exec command: its action name, canonical words and the raw line. */
export interface ExecCommand {
  action: string;
  words: string[];
  line: string;
}

/**
 * The command-line engine IOS, NX-OS and EOS share: exec, privileged and config modes with
 * submodes, grammar-checked input with the vendor's error text, paging and terminal width.
 * Vendor engines add their exec actions (`vendorAction`) and config-mode commands
 * (`vendorConfigCommand`), and may edit a session's candidate instead of running.
 *
 * Known shortcomings: `terminal width` is recorded but long lines are not wrapped, and
 * interface names are stored as typed (`int gi0/1` is not expanded to `GigabitEthernet0/1`).
 */
export abstract class HierarchicalCli<Device extends HierarchicalDevice> implements DeviceCli {
  protected mode: 'exec' | 'priv' | 'config' = 'priv';
  protected stack: ModeLevel[] = [];
  protected pageLines: number;
  protected widthColumns = 80;

  constructor(
    protected readonly device: Device,
    protected readonly username: string,
  ) {
    this.pageLines = device.dialect.defaultPageLines;
  }

  /** The `banner motd` text (`banner motd ^CWelcome^C` → `Welcome`), printed after login. */
  greeting(): string {
    const banner = this.device.running.root.children.find((c) => c.text.startsWith('banner motd '));
    if (banner === undefined) return '';
    const text = banner.text.slice('banner motd '.length);
    const delimiter = text.startsWith('^C') ? '^C' : text.slice(0, 1);
    const end = text.indexOf(delimiter, delimiter.length);
    return `${text.slice(delimiter.length, end === -1 ? undefined : end)}\n`;
  }

  prompt(): string {
    const host = this.device.hostname;
    const suffix = this.device.dialect.promptSuffix;
    if (this.mode === 'exec') return `${host}>${suffix}`;
    if (this.mode === 'priv') return `${host}#${suffix}`;
    return `${host}(${this.configLabel()})#${suffix}`;
  }

  protected configLabel(): string {
    const level = this.stack.at(-1);
    return this.device.dialect.modeLabel(level?.mode ?? 'config', level?.path.at(-1));
  }

  pager(): PagerSettings | undefined {
    if (this.pageLines <= 0) return undefined;
    return { linesPerPage: this.pageLines, prompt: this.device.dialect.pagerPrompt };
  }

  disconnect(): void {
    this.mode = 'priv';
    this.stack = [];
  }

  execute(line: string): CliReply | Promise<CliReply> {
    if (line.trim() === '') return { output: '' };
    const promptLength = this.prompt().length;
    if (this.mode === 'config') return this.executeConfig(line, promptLength);
    return this.executeExec(line, promptLength, 'exec');
  }

  /** The tree config commands edit: running, or a session's candidate. */
  protected configTree(): ConfigTree {
    return this.device.running;
  }

  /** Called after a config command changed the tree from `configTree()`. */
  protected configChanged(): void {
    this.device.touch(this.username);
  }

  /** `end`, or `exit` at the top of config mode. */
  protected leaveConfig(): void {
    this.mode = 'priv';
    this.stack = [];
  }

  protected enterConfig(): void {
    this.mode = 'config';
    this.stack = [{ mode: 'config', path: [] }];
  }

  protected executeExec(line: string, caretBase: number, where: 'exec' | 'config'): CliReply {
    const [command = '', pipe] = splitPipe(line);
    const match = matchCommand(this.device.dialect.execSpecs, command);
    if (match.kind !== 'ok') return { output: this.errorText(match, line, caretBase, where) };
    const action = match.spec.action ?? 'none';
    if (this.mode === 'exec' && !userExecActions.has(action)) {
      const first = splitWords(line)[0];
      const invalid: MatchResult = { kind: 'invalid', wordIndex: 0, column: first?.column ?? 0 };
      return { output: this.errorText(invalid, line, caretBase, where) };
    }
    const reply = this.runAction({ action, words: match.words, line });
    if (pipe === undefined) return reply;
    const piped = applyPipe(reply.output, pipe);
    if (piped.kind === 'error') return { output: `${piped.message}\n` };
    return { ...reply, output: piped.output, pageable: reply.pageable === true && piped.pageable };
  }

  private runAction(command: ExecCommand): CliReply {
    const reply = this.commonAction(command) ?? this.vendorAction(command);
    return reply ?? { output: '' };
  }

  private commonAction({ action, words }: ExecCommand): CliReply | undefined {
    const number = Number(words.at(-1));
    switch (action) {
      case 'enable':
        this.mode = 'priv';
        return { output: '' };
      case 'disable':
        this.mode = 'exec';
        return { output: '' };
      case 'exit':
        return { output: '', close: true };
      case 'configTerminal':
        this.enterConfig();
        return { output: this.device.dialect.enterConfigMessage };
      case 'termLength':
        this.pageLines = number;
        return { output: this.terminalLengthMessage(number) };
      case 'termWidth':
        this.widthColumns = number;
        return { output: this.terminalWidthMessage(number) };
      case 'showRun':
        return { output: `${this.showRunningConfig()}\n`, pageable: true };
      default:
        return undefined;
    }
  }

  protected terminalLengthMessage(_lines: number): string {
    return '';
  }

  protected terminalWidthMessage(_columns: number): string {
    return '';
  }

  /** `show running-config` with the vendor's header lines. */
  protected abstract showRunningConfig(): string;

  /** Vendor exec actions (`show version`, checkpoints, revert timers, sessions). */
  protected abstract vendorAction(command: ExecCommand): CliReply | undefined;

  /** Vendor commands in config mode (EOS `commit`, `abort`); undefined: a config line. */
  protected vendorConfigCommand(_line: string): CliReply | undefined {
    return undefined;
  }

  private executeConfig(line: string, caretBase: number): CliReply {
    const trimmed = line.trim();
    // `!` starts a comment in configuration mode on all three vendors.
    if (trimmed.startsWith('!')) return { output: '' };
    if (/^end$/i.test(trimmed)) {
      this.leaveConfig();
      return { output: '' };
    }
    if (/^exit$/i.test(trimmed)) {
      this.stack.pop();
      if (this.stack.length === 0) this.leaveConfig();
      return { output: '' };
    }
    const doCommand = /^(\s*do\s+)(.*)$/i.exec(line);
    if (doCommand !== null) {
      return this.executeExec(
        doCommand[2] ?? '',
        caretBase + (doCommand[1] ?? '').length,
        'config',
      );
    }
    if (this.device.dialect.showInConfig && /^show\s/i.test(trimmed)) {
      return this.executeExec(line, caretBase, 'config');
    }
    const vendor = this.vendorConfigCommand(trimmed);
    if (vendor !== undefined) return vendor;
    const result = applyConfigLine(
      this.configTree(),
      this.stack,
      line,
      this.device.dialect.grammar,
    );
    if (result.kind === 'gone') {
      this.stack = this.stack.slice(0, 1);
      return { output: '' };
    }
    if (result.kind !== 'ok') return { output: this.errorText(result, line, caretBase, 'config') };
    this.stack = result.stack;
    this.configChanged();
    return { output: '' };
  }

  protected errorText(
    result: Exclude<MatchResult, { kind: 'ok' }>,
    line: string,
    caretBase: number,
    where: 'exec' | 'config',
  ): string {
    const dialect = this.device.dialect;
    if (result.kind === 'incomplete')
      return dialect.incomplete({ caretColumn: caretBase, where, line });
    const words = splitWords(line);
    const index = words.findIndex((w) => w.column === result.column);
    const site: ErrorSite = {
      caretColumn: caretBase + result.column,
      word: words[index]?.word ?? '',
      wordNumber: index + 1,
      where,
      line,
    };
    return result.kind === 'ambiguous' ? dialect.ambiguous(site) : dialect.invalid(site);
  }
}

/** `show running-config | include x` → the command and the pipe after the first `|`. */
function splitPipe(line: string): [string, string | undefined] {
  const index = line.search(/\s\|/);
  if (index === -1) return [line, undefined];
  return [line.slice(0, index), line.slice(index).replace(/^\s*\|\s*/, '')];
}
