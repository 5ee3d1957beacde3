import type { CliReply, DeviceCli, PagerSettings } from '../DeviceCli.ts';
import { JunosConfig, validateStatement } from './JunosConfig.ts';
import type { JunosDevice } from './JunosDevice.ts';
import { parseJunosBraces, renderJunosBraces } from './junosBraces.ts';
import { junosCompare } from './junosCompare.ts';
import { filterJunosOutput, type JunosPipes, parseJunosPipes } from './junosPipes.ts';
import { renderJunosTokens, tokenizeJunos } from './junosTokens.ts';

type EditMode = 'shared' | 'exclusive' | 'private';
type LoadKind = 'set' | 'merge' | 'replace' | 'override';

const junosVersion = '23.4R1.9';
const enteringWarning = 'warning: uncommitted changes will be discarded on exit';
/** Longest `load … terminal` input a session buffers, so a runaway paste stays bounded. */
const maxLoadLines = 100_000;

const mutatingVerbs = new Set(['set', 'delete', 'load', 'rollback', 'commit']);
/** First words Junos knows in operational mode; a bad word after one is a syntax error. */
const operationalVerbs = new Set(['clear', 'file', 'monitor', 'ping', 'request', 'set', 'show']);

const reply = (output: string, pageable = false): CliReply => ({ output, pageable });

/**
 * One Junos CLI login: operational mode (`user@host> `), configuration mode in its three
 * flavours, `load … terminal` input ended by Ctrl-D, and the `Exit with uncommitted changes?`
 * question. Configuration state lives in the `JunosDevice`; a private candidate lives here.
 */
export class JunosCli implements DeviceCli {
  readonly username: string;
  readonly terminal: number;
  private readonly device: JunosDevice;
  private editMode: EditMode | undefined;
  private privateCandidate: JunosConfig | undefined;
  private context: string[] = [];
  private contextStack: string[][] = [];
  private load: { kind: LoadKind; lines: string[] } | undefined;
  private askingExit = false;
  private screenLength = 24;

  constructor(device: JunosDevice, username: string, terminal: number) {
    this.device = device;
    this.username = username;
    this.terminal = terminal;
  }

  /** `system login message` (its `\n` escapes as line breaks), then the version line. */
  greeting(): string {
    const message = this.device.running
      .list()
      .find((s) => s.length === 4 && s[0] === 'system' && s[1] === 'login' && s[2] === 'message');
    const banner = message?.[3] === undefined ? '' : `${message[3].replace(/\\n/g, '\n')}\n\n`;
    return `${banner}--- JUNOS ${junosVersion} built 2023-12-08 03:39:53 UTC\n`;
  }

  prompt(): string {
    if (this.load !== undefined) return '';
    if (this.askingExit) return 'Exit with uncommitted changes? [yes,no] (yes) ';
    const host = `${this.username}@${this.device.promptHostname()}`;
    if (this.editMode === undefined) return `${host}> `;
    const minutes = this.device.confirmMinutesLeft();
    const notice =
      minutes === undefined ? '' : `# commit confirmed will be rolled back in ${minutes} minutes\n`;
    const edit = this.context.length === 0 ? '[edit]' : `[edit ${renderJunosTokens(this.context)}]`;
    return `\n${notice}${edit}\n${host}# `;
  }

  pager(): PagerSettings | undefined {
    return this.screenLength > 0
      ? { linesPerPage: this.screenLength, prompt: '---(more)---' }
      : undefined;
  }

  execute(line: string): CliReply {
    if (this.load !== undefined) return this.collectLoadLine(line);
    if (this.askingExit) return this.answerExit(line.trim());
    const parsed = parseJunosPipes(line);
    if ('error' in parsed) return reply(parsed.error);
    if (parsed.command === '') return reply('');
    if (this.editMode === undefined) return this.operational(parsed.command, parsed.pipes);
    return this.configuration(parsed.command, parsed.pipes);
  }

  endOfInput(): CliReply {
    const load = this.load;
    if (load === undefined) return reply('');
    this.load = undefined;
    return reply(this.applyLoad(load.kind, load.lines));
  }

  interrupt(): CliReply {
    if (this.load !== undefined) {
      this.load = undefined;
      return reply('error: load aborted');
    }
    this.askingExit = false;
    return reply('');
  }

  disconnect(): void {
    this.load = undefined;
    this.leaveConfiguration();
  }

  // Operational mode

  private operational(command: string, pipes: JunosPipes): CliReply {
    const { tokens, columns } = tokenizeJunos(command);
    const words = tokens.join(' ');
    if (words === 'exit' || words === 'quit' || words === 'logout') {
      return { output: '', close: true };
    }
    if (tokens[0] === 'configure') return this.enterConfiguration(tokens.slice(1));
    if (tokens[0] === 'set' && tokens[1] === 'cli') return this.setCli(tokens.slice(2));
    if (words.startsWith('show configuration')) {
      return this.showConfiguration(this.device.running, tokens.slice(2), pipes, true);
    }
    if (words === 'show version') return this.output(this.showVersion(), pipes);
    if (words === 'show system commit') return this.output(this.showCommits(), pipes);
    if (operationalVerbs.has(tokens[0] ?? '')) {
      const column = columns[1] ?? command.trimEnd().length + 1;
      return reply(this.marker(column, 'syntax error, expecting <command>.'));
    }
    return reply(this.marker(columns[0] ?? 0, 'unknown command.'));
  }

  private setCli(args: string[]): CliReply {
    const [setting, value = ''] = args;
    const number = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
    if (setting === 'screen-length' && Number.isInteger(number) && number <= 100_000) {
      this.screenLength = number;
      return reply(`Screen length set to ${number}`);
    }
    if (setting === 'screen-width' && (number === 0 || (number >= 40 && number <= 1024))) {
      return reply(`Screen width set to ${number}`);
    }
    if (setting === 'complete-on-space' && (value === 'on' || value === 'off')) {
      return reply(value === 'on' ? 'Enabling complete-on-space' : 'Disabling complete-on-space');
    }
    if (setting === 'screen-length' || setting === 'screen-width') {
      return reply('error: invalid numeric value');
    }
    return reply('syntax error.');
  }

  private enterConfiguration(args: string[]): CliReply {
    const flavour = args.join(' ');
    if (flavour !== '' && flavour !== 'exclusive' && flavour !== 'private') {
      return reply('syntax error.');
    }
    const locked = this.device.lockedAgainst(this);
    const sharedModified = !this.device.sharedCandidate.equals(this.device.running);
    if (flavour === 'exclusive' || flavour === 'private') {
      if (locked !== undefined) return reply(locked);
      if (sharedModified) {
        const what = flavour === 'private' ? 'shared configuration' : 'configuration';
        return reply(`error: ${what} database modified`);
      }
    }

    this.context = [];
    this.contextStack = [];
    if (flavour === 'exclusive') {
      this.device.exclusiveOwner = this;
      this.editMode = 'exclusive';
      return reply(`${enteringWarning}\nEntering configuration mode`);
    }
    if (flavour === 'private') {
      this.editMode = 'private';
      this.privateCandidate = this.device.running.clone();
      return reply(`${enteringWarning}\nEntering configuration mode`);
    }
    this.editMode = 'shared';
    if (locked === undefined) return reply('Entering configuration mode');
    // Plain `configure` still enters under someone's exclusive lock; its commits will fail.
    const holder = locked.split('\n').slice(1);
    return reply(
      ['Entering configuration mode', 'Users currently editing the configuration:', ...holder].join(
        '\n',
      ),
    );
  }

  private showConfiguration(
    config: JunosConfig,
    path: string[],
    pipes: JunosPipes,
    withHeader: boolean,
  ): CliReply {
    const under = [...this.context, ...path];
    if (pipes.displaySet) return this.output(config.displaySet(under), pipes);
    const subset = JunosConfig.fromSetText(config.displaySet(under)).config;
    const body = renderJunosBraces(subset);
    const newest = this.device.history[0];
    const header =
      withHeader && under.length === 0 && newest !== undefined
        ? `## Last commit: ${junosTime(newest.atMs)} by ${newest.user}\n`
        : '';
    return this.output(header + body, pipes);
  }

  private showVersion(): string {
    return [
      `Hostname: ${this.device.promptHostname()}`,
      'Model: mx204',
      `Junos: ${junosVersion}`,
    ].join('\n');
  }

  private showCommits(): string {
    return this.device.history
      .map((commit, index) => {
        const note = commit.note === undefined ? '' : ` ${commit.note}`;
        return `${index}   ${junosTime(commit.atMs)} by ${commit.user} via cli${note}`;
      })
      .join('\n');
  }

  // Configuration mode

  private get candidate(): JunosConfig {
    return this.privateCandidate ?? this.device.sharedCandidate;
  }

  private set candidate(config: JunosConfig) {
    if (this.editMode === 'private') this.privateCandidate = config;
    else this.device.sharedCandidate = config;
  }

  private configuration(command: string, pipes: JunosPipes): CliReply {
    const { tokens, columns, error } = tokenizeJunos(command);
    if (error !== undefined) return reply(this.marker(command.length, 'syntax error.'));
    const [verb = '', ...args] = tokens;
    // Under another session's exclusive lock, others may look but not change (Junos docs).
    const locked = this.editMode === 'shared' ? this.device.lockedAgainst(this) : undefined;
    if (locked !== undefined && mutatingVerbs.has(verb)) return reply(locked);
    switch (verb) {
      case 'set':
        return this.setStatement(args, columns.slice(1));
      case 'delete':
        return this.deleteStatement(args);
      case 'show':
        return this.showCandidate(args, pipes);
      case 'load':
        return this.startLoad(args);
      case 'commit':
        return this.commit(args);
      case 'rollback':
        return this.rollback(args);
      case 'edit':
        return this.edit(args);
      case 'up':
        return this.up();
      case 'top':
        this.context = [];
        return reply('');
      case 'exit':
      case 'quit':
        return this.exit(args);
      case 'run':
        return this.operational(args.join(' '), pipes);
      default:
        return reply(this.marker(columns[0] ?? 0, 'unknown command.'));
    }
  }

  private setStatement(args: string[], columns: number[]): CliReply {
    const path = [...this.context, ...args];
    const problem = validateStatement(path);
    if (problem !== undefined) {
      const column = columns[problem.wordIndex - this.context.length] ?? columns.at(-1) ?? 0;
      return reply(this.marker(column, `${problem.message}.`));
    }
    this.candidate.set(path);
    return reply('');
  }

  private deleteStatement(args: string[]): CliReply {
    const path = [...this.context, ...args];
    if (path.length === 0) {
      this.candidate = JunosConfig.empty();
      return reply('');
    }
    return reply(this.candidate.delete(path) ? '' : 'warning: statement not found');
  }

  private showCandidate(args: string[], pipes: JunosPipes): CliReply {
    if (pipes.compare) {
      const base = this.device.history[pipes.compareRollback ?? 0]?.config;
      if (base === undefined) return reply('error: rollback file does not exist');
      return this.output(junosCompare(base, this.candidate), pipes);
    }
    return this.showConfiguration(this.candidate, args, pipes, false);
  }

  private startLoad(args: string[]): CliReply {
    const [kind, source] = args;
    const known = kind === 'set' || kind === 'merge' || kind === 'replace' || kind === 'override';
    if (!known || source !== 'terminal' || args.length !== 2) {
      return reply('error: this simulator loads only from terminal: load set|merge terminal');
    }
    this.load = { kind, lines: [] };
    return reply('[Type ^D at a new line to end input]');
  }

  private collectLoadLine(line: string): CliReply {
    const load = this.load;
    if (load !== undefined && load.lines.length < maxLoadLines) load.lines.push(line);
    return reply('');
  }

  private applyLoad(kind: LoadKind, lines: string[]): string {
    const text = lines.join('\n');
    const target = kind === 'override' ? JunosConfig.empty() : this.candidate.clone();
    const looksSet = lines.some((l) => /^\s*(set|delete) /.test(l));
    const errors = looksSet ? this.loadSetLines(target, lines) : this.loadBraces(target, text);
    this.candidate = target;
    return errors.length === 0
      ? 'load complete'
      : `${errors.join('\n')}\nload complete (${errors.length} errors)`;
  }

  private loadSetLines(target: JunosConfig, lines: string[]): string[] {
    const errors: string[] = [];
    lines.forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const { tokens, columns, error } = tokenizeJunos(line);
      const [verb, ...words] = tokens;
      const path = [...this.context, ...words];
      const problem =
        error !== undefined || (verb !== 'set' && verb !== 'delete')
          ? { message: 'syntax error', wordIndex: 0 }
          : verb === 'set'
            ? validateStatement(path)
            : undefined;
      if (problem === undefined) {
        if (verb === 'set') target.set(path);
        else target.delete(path);
        return;
      }
      const wordIndex = verb === 'set' ? problem.wordIndex - this.context.length + 1 : 0;
      const column = (columns[wordIndex] ?? columns.at(-1) ?? 0) + 1;
      const word = tokens[wordIndex] ?? '';
      errors.push(`terminal:${index + 1}:(${column}) ${problem.message}: ${word}`);
    });
    return errors;
  }

  private loadBraces(target: JunosConfig, text: string): string[] {
    const { paths, error } = parseJunosBraces(text);
    if (error !== undefined) return [`terminal: ${error}`];
    const errors: string[] = [];
    for (const words of paths) {
      const path = [...this.context, ...words];
      const problem = validateStatement(path);
      if (problem === undefined) target.set(path);
      else errors.push(`terminal: ${problem.message}: ${renderJunosTokens(words)}`);
    }
    return errors;
  }

  private commit(args: string[]): CliReply {
    const options = parseCommitArgs(args);
    if (options === undefined) return reply('syntax error.');
    if (options.check) {
      this.device.confirmPending();
      return reply('configuration check succeeds');
    }
    if (options.confirmMinutes !== undefined && this.editMode === 'private') {
      // Junos refuses commit confirmed in private mode; the wording here is the simulator's.
      return reply("error: 'commit confirmed' is not supported in private mode");
    }
    const result = this.device.commit(this, this.candidate, options.confirmMinutes);
    if (this.editMode === 'private' && result.ok) {
      this.privateCandidate = this.device.running.clone();
    }
    if (result.ok && options.andQuit) {
      this.leaveConfiguration();
      return reply(`${result.output}\nExiting configuration mode`);
    }
    return reply(result.output);
  }

  private rollback(args: string[]): CliReply {
    const index = args.length === 0 ? 0 : Number(args[0]);
    if (args.length > 1 || !Number.isInteger(index) || index < 0 || index > 49) {
      return reply('error: invalid rollback index');
    }
    const commit = this.device.history[index];
    if (commit === undefined) return reply(`error: rollback ${index} does not exist`);
    this.candidate = commit.config.clone();
    return reply('load complete');
  }

  private edit(args: string[]): CliReply {
    const path = [...this.context, ...args];
    if (args.length === 0 || validateStatement([...path, 'x']) !== undefined) {
      return reply('syntax error.');
    }
    this.contextStack.push(this.context);
    this.context = path;
    return reply('');
  }

  private up(): CliReply {
    if (this.context.length === 0) return reply('warning: already at the top of the hierarchy');
    this.context = this.context.slice(0, -1);
    return reply('');
  }

  private exit(args: string[]): CliReply {
    const toTop = args.join(' ') === 'configuration-mode';
    if (!toTop && args.length > 0) return reply('syntax error.');
    if (!toTop && this.context.length > 0) {
      this.context = this.contextStack.pop() ?? [];
      return reply('');
    }
    if (!this.candidate.equals(this.device.running)) {
      this.askingExit = true;
      return reply('The configuration has been changed but not committed');
    }
    this.leaveConfiguration();
    return reply('Exiting configuration mode');
  }

  private answerExit(answer: string): CliReply {
    this.askingExit = false;
    if (answer === 'no' || answer === 'n') return reply('');
    if (answer !== '' && answer !== 'yes' && answer !== 'y') return reply('');
    this.leaveConfiguration();
    return reply('Exiting configuration mode');
  }

  /** Leaving exclusive or private mode discards their uncommitted changes. */
  private leaveConfiguration(): void {
    if (this.editMode === 'exclusive') this.device.releaseExclusive(this);
    this.editMode = undefined;
    this.privateCandidate = undefined;
    this.context = [];
    this.contextStack = [];
    this.askingExit = false;
  }

  private output(text: string, pipes: JunosPipes): CliReply {
    return reply(filterJunosOutput(text, pipes), !pipes.noMore);
  }

  /** `^` under the offending word, as Junos marks it, then the message. */
  private marker(column: number, message: string): string {
    const promptLine = this.prompt().split('\n').at(-1) ?? '';
    return `${' '.repeat(promptLine.length + column)}^\n${message}`;
  }
}

interface CommitOptions {
  check: boolean;
  andQuit: boolean;
  confirmMinutes?: number;
}

/** `commit [check] [confirmed [N]] [and-quit] [comment "…"]`; undefined on a bad word. */
function parseCommitArgs(args: string[]): CommitOptions | undefined {
  const options: CommitOptions = { check: false, andQuit: false };
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index];
    if (word === 'check') options.check = true;
    else if (word === 'and-quit') options.andQuit = true;
    else if (word === 'comment') index += 1;
    else if (word === 'synchronize') continue;
    else if (word === 'confirmed') {
      const next = args[index + 1] ?? '';
      const minutes = /^\d{1,5}$/.test(next) ? Number(next) : undefined;
      if (minutes !== undefined && (minutes < 1 || minutes > 65_535)) return undefined;
      if (minutes !== undefined) index += 1;
      options.confirmMinutes = minutes ?? 10;
    } else return undefined;
  }
  return options;
}

function junosTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
