import type { CliReply, DeviceCli, PagerSettings } from '../DeviceCli.ts';
import { resolveSrosPath } from './resolveSrosPath.ts';
import { renderTree, type SrosConfig } from './SrosConfig.ts';
import type { SrosDevice } from './SrosDevice.ts';
import { srosCompare } from './srosCompare.ts';
import { tokenizeSros } from './srosTokens.ts';

type EditKind = 'private' | 'exclusive' | 'read-only';

interface EditSession {
  kind: EditKind;
  /** Running as it was when this candidate started; `!` in the prompt when running moved. */
  baseline: SrosConfig;
  candidate: SrosConfig;
}

const modeTag: Record<EditKind, string> = { private: 'pr', exclusive: 'ex', 'read-only': 'ro' };
const discardNotice =
  'INFO: CLI #2061: Uncommitted changes are discarded on configuration mode exit';
const moreprompt = 'Press Q to quit, Enter to print next line or any other key to print next page.';
const maxMinutes = 168 * 60;

const reply = (output: string, pageable = false): CliReply => ({ output, pageable });
const unknown = (word: string) => reply(`MINOR: MGMT_CORE #2201: Unknown element - '${word}'`);

/**
 * One MD-CLI login on a 7750 SR: the two-line prompt with its context (`[/]`,
 * `*(pr)[/configure router "Base"]`), `edit-config private|exclusive|read-only`, path
 * navigation through the schema in `srosSchema`, `compare`, `validate`, `commit [confirmed]`,
 * `discard`, `quit-config`, `environment` settings and `admin show configuration`.
 * Message numbers not seen in real transcripts (the INFO on leaving, the commit refusals)
 * are the simulator's own.
 */
export class SrosMdCli implements DeviceCli {
  readonly username: string;
  readonly sessionId: number;
  private readonly device: SrosDevice;
  private edit: EditSession | undefined;
  /** Headers below `configure`; undefined at `[/]`. */
  private context: string[] | undefined;
  private more = true;

  constructor(device: SrosDevice, username: string, sessionId: number) {
    this.device = device;
    this.username = username;
    this.sessionId = sessionId;
  }

  greeting(): string {
    return this.device.motd();
  }

  prompt(): string {
    const where = this.context === undefined ? '/' : ['/configure', ...this.context].join(' ');
    const host = `A:${this.username}@${this.device.promptHostname()}# `;
    const edit = this.edit;
    if (edit === undefined) return `\n[${where}]\n${host}`;
    const stale = edit.baseline !== this.device.running ? '!' : '';
    const changed = edit.candidate.equals(edit.baseline) ? '' : '*';
    return `\n${stale}${changed}(${modeTag[edit.kind]})[${where}]\n${host}`;
  }

  pager(): PagerSettings | undefined {
    return this.more ? { linesPerPage: 24, prompt: moreprompt } : undefined;
  }

  execute(line: string): CliReply {
    const pipes = line.split(/\s+\|\s+/);
    const command = (pipes[0] ?? '').trim();
    const extra = pipes.slice(1).find((pipe) => pipe.trim() !== 'no-more');
    if (extra !== undefined) return unknown(extra.trim().split(' ')[0] ?? '|');
    const noMore = pipes.length > 1;
    if (command === '' || command.startsWith('#')) return reply('');
    if (command.startsWith('//')) return this.classicSwitch(command.slice(2));

    const { tokens, error } = tokenizeSros(command);
    if (error !== undefined) return reply(`MINOR: CLI #2001: Invalid element value - ${error}`);
    const absolute = tokens[0]?.startsWith('/') === true;
    if (absolute) tokens[0] = (tokens[0] ?? '').slice(1);
    const [verb = '', ...args] = tokens;
    return this.dispatch(verb, args, absolute, noMore);
  }

  disconnect(): void {
    this.leave();
  }

  private dispatch(verb: string, args: string[], absolute: boolean, noMore: boolean): CliReply {
    switch (verb) {
      case 'environment':
        return this.environment(args);
      case 'admin':
        return args.join(' ').startsWith('show configuration')
          ? reply(this.showConfiguration(), !noMore)
          : unknown(args[0] ?? verb);
      case 'show':
        return args.join(' ') === 'version'
          ? reply(this.device.header[0]?.slice(2) ?? '')
          : unknown(args[0] ?? verb);
      case 'logout':
        return { output: '', close: true };
      case 'edit-config':
        return this.enter(args);
    }
    const edit = this.edit;
    if (edit === undefined) {
      return verb === 'configure' ? reply(notInConfig) : unknown(verb);
    }
    switch (verb) {
      case 'quit-config':
        return reply(this.leave());
      case 'exit':
        return this.exit(args);
      case 'top':
        this.context = this.context === undefined ? undefined : [];
        return reply('');
      case 'configure':
        return this.navigate(edit, [], args);
      case 'info':
        return reply(this.info(edit), !noMore);
      case 'compare':
        return reply(this.compare(edit), !noMore);
      case 'validate':
        return reply('');
      case 'discard':
        edit.candidate = edit.baseline.clone();
        return reply('');
      case 'commit':
        return this.commit(edit, args);
      case 'delete':
        return this.remove(edit, args);
    }
    if (this.context === undefined || absolute) return unknown(verb);
    return this.navigate(edit, this.context, [verb, ...args]);
  }

  private classicSwitch(command: string): CliReply {
    const words = command.trim().split(/\s+/).join(' ');
    if (words === 'environment no more') {
      this.more = false;
      return reply('');
    }
    return reply(`MINOR: CLI #2033: Classic CLI command not available - '${words}'`);
  }

  private environment(args: string[]): CliReply {
    const setting = args.join(' ');
    if (setting === 'more false' || setting === 'more true' || setting === 'more') {
      this.more = setting !== 'more false';
      return reply('');
    }
    if (
      setting === 'command-completion space false' ||
      setting === 'command-completion space true'
    ) {
      return reply('');
    }
    const width = /^console width (\d{1,4})$/.exec(setting);
    if (width !== null) {
      const columns = Number(width[1]);
      if (columns >= 80 && columns <= 512) return reply('');
      return reply(`MINOR: MGMT_CORE #2007: Invalid element value - '${columns}' (80..512)`);
    }
    return unknown(
      args.find((word) => !['more', 'console', 'command-completion'].includes(word)) ??
        'environment',
    );
  }

  private enter(args: string[]): CliReply {
    const kind = args.join(' ');
    if (kind === 'global') {
      // Known shortcoming: the shared global candidate is not simulated.
      return reply('MINOR: CLI #2069: edit-config global is not simulated; use private');
    }
    if (kind !== 'private' && kind !== 'exclusive' && kind !== 'read-only') {
      return unknown(args[0] ?? 'edit-config');
    }
    if (this.edit !== undefined) {
      return reply('MINOR: CLI #2069: Operation not allowed - already in configuration mode');
    }
    if (kind === 'exclusive') {
      const locked = this.device.lockedAgainst(this);
      if (locked !== undefined) return reply(locked);
      this.device.exclusiveOwner = this;
    }
    const running = this.device.running;
    this.edit = { kind, baseline: running, candidate: running.clone() };
    this.context = undefined;
    if (kind === 'read-only')
      return reply('INFO: CLI #2066: Entering read-only configuration mode');
    const number = kind === 'private' ? 2070 : 2060;
    return reply(`INFO: CLI #${number}: Entering ${kind} configuration mode\n${discardNotice}`);
  }

  /** Leaves configuration mode, discarding the candidate; returns the notice. */
  private leave(): string {
    const edit = this.edit;
    if (edit === undefined) return '';
    if (this.device.exclusiveOwner === this) this.device.exclusiveOwner = undefined;
    this.edit = undefined;
    this.context = undefined;
    return `INFO: CLI #2064: Exiting ${edit.kind} configuration mode`;
  }

  private exit(args: string[]): CliReply {
    if (args.join(' ') === 'all') {
      this.context = undefined;
      return reply('');
    }
    if (args.length > 0) return unknown(args[0] ?? 'exit');
    if (this.context === undefined) return reply(this.leave());
    this.context = this.context.length === 0 ? undefined : this.context.slice(0, -1);
    return reply('');
  }

  private navigate(edit: EditSession, from: string[], words: string[]): CliReply {
    const resolved = resolveSrosPath(from, words, false);
    if ('error' in resolved) return reply(resolved.error);
    if (resolved.leaves.length === 0) {
      if (edit.kind !== 'read-only') edit.candidate.ensure(resolved.path);
      this.context = resolved.path;
      return reply('');
    }
    if (edit.kind === 'read-only') return reply(readOnly);
    for (const leaf of resolved.leaves) edit.candidate.setLeaf(resolved.path, leaf);
    return reply('');
  }

  private remove(edit: EditSession, args: string[]): CliReply {
    if (edit.kind === 'read-only') return reply(readOnly);
    const absolute =
      args[0] === '/configure' || (this.context === undefined && args[0] === 'configure');
    const from = absolute ? [] : this.context;
    if (from === undefined) return unknown(args[0] ?? 'delete');
    const resolved = resolveSrosPath(from, absolute ? args.slice(1) : args, true);
    if ('error' in resolved) return reply(resolved.error);
    if (resolved.leaves.length === 0) {
      if (resolved.path.length === 0) {
        for (const item of [...edit.candidate.list()]) edit.candidate.delete(item.path);
        return reply('');
      }
      return reply(edit.candidate.delete(resolved.path) ? '' : missing);
    }
    for (const leaf of resolved.leaves) edit.candidate.delete(resolved.path, leaf.split(' ')[0]);
    return reply('');
  }

  private commit(edit: EditSession, args: string[]): CliReply {
    if (edit.kind === 'read-only') return reply(readOnly);
    const option = args.join(' ');
    if (option === 'confirmed accept') {
      return reply(this.device.accept() ? '' : noConfirmed);
    }
    if (option === 'confirmed cancel') {
      if (!this.device.cancel()) return reply(noConfirmed);
      this.rebase(edit);
      return reply('');
    }
    const minutes = parseConfirmed(args);
    if (minutes === null) return unknown(args.find((a) => a !== 'confirmed') ?? 'commit');
    const result = this.device.commit(this, edit.baseline, edit.candidate, minutes);
    if (!result.ok) return reply(result.output);
    this.rebase(edit);
    return reply('');
  }

  private rebase(edit: EditSession): void {
    edit.baseline = this.device.running;
    edit.candidate = this.device.running.clone();
  }

  private info(edit: EditSession): string {
    if (this.context === undefined) {
      return ['configure {', ...renderTree(edit.candidate.tree(), 1), '}']
        .map((line) => `    ${line}`)
        .join('\n');
    }
    return renderTree(edit.candidate.tree(this.context), 1).join('\n');
  }

  private compare(edit: EditSession): string {
    const under = this.context ?? [];
    return srosCompare(edit.baseline, edit.candidate, under, this.context === undefined);
  }

  private showConfiguration(): string {
    const device = this.device;
    const now = srosTime(device.clock.now());
    const modified = device.lastModified;
    return [
      ...device.header,
      '',
      `# Generated ${now} by ${this.username} from 127.0.0.1`,
      `# Last modified ${srosTime(modified.atMs)} by ${modified.user} (MD-CLI) from 127.0.0.1`,
      '',
      ...device.configureLines(),
      '',
      `# Finished ${now}`,
    ].join('\n');
  }
}

const notInConfig = 'MINOR: CLI #2069: Operation not allowed - not in configuration mode';
const readOnly = 'MINOR: MGMT_CORE #2020: Configuration change not allowed in read-only mode';
const noConfirmed = 'MINOR: MGMT_CORE #2704: No confirmed commit in progress';
const missing = 'MINOR: MGMT_CORE #2203: Element does not exist';

/** Minutes of `commit [confirmed [N]]`: undefined for a plain commit, null when malformed. */
function parseConfirmed(args: string[]): number | undefined | null {
  if (args.length === 0) return undefined;
  if (args[0] !== 'confirmed' || args.length > 2) return null;
  if (args.length === 1) return 10;
  const minutes = /^\d{1,5}$/.test(args[1] ?? '') ? Number(args[1]) : Number.NaN;
  return minutes >= 1 && minutes <= maxMinutes ? minutes : null;
}

/** `2026-12-04T04:44:25.0+00:00`, the MD-CLI timestamp form. */
export function srosTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 21)}+00:00`;
}
