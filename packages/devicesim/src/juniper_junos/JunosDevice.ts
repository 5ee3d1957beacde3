import type { DeviceFaults } from '../DeviceFaults.ts';
import type { SimClock } from '../SimClock.ts';
import type { SimDevice, SimDeviceFactory, SimDeviceOptions } from '../SimDevice.ts';
import { JunosCli } from './JunosCli.ts';
import { JunosConfig } from './JunosConfig.ts';
import { parseJunosBraces } from './junosBraces.ts';

/** One committed configuration, newest first in `history` (index = `rollback N`). */
export interface JunosCommit {
  config: JunosConfig;
  user: string;
  atMs: number;
  /** `commit confirmed` or the automatic rollback, as `show system commit` labels them. */
  note?: string;
}

interface PendingConfirm {
  rollbackTo: JunosConfig;
  deadlineMs: number;
  timer: { cancel(): void };
}

/** Junos keeps rollback 0 to 49. */
const maxHistory = 50;

export type CommitResult = { ok: true; output: string } | { ok: false; output: string };

/**
 * A Junos router's state shared by its sessions: the running config and its commit history,
 * the shared candidate (`configure`, `configure exclusive`), the exclusive lock and a pending
 * `commit confirmed` whose rollback runs on the injected clock.
 */
export class JunosDevice implements SimDevice {
  readonly platform = 'juniper_junos';
  readonly hostname: string;
  readonly clock: SimClock;
  readonly faults: DeviceFaults;
  readonly history: JunosCommit[];
  sharedCandidate: JunosConfig;
  exclusiveOwner: JunosCli | undefined;
  private pending: PendingConfirm | undefined;
  private nextTerminal = 0;

  constructor(options: SimDeviceOptions) {
    this.hostname = options.hostname;
    this.clock = options.clock;
    this.faults = options.faults;
    const initial = initialConfig(options);
    this.history = [{ config: initial, user: 'root', atMs: options.clock.now() }];
    this.sharedCandidate = initial.clone();
  }

  get running(): JunosConfig {
    const newest = this.history[0];
    if (newest === undefined) throw new Error('Junos history is never empty');
    return newest.config;
  }

  /** The name in prompts: the committed `system host-name`, else the simulator's name. */
  promptHostname(): string {
    const statement = this.running.list().find((s) => s[0] === 'system' && s[1] === 'host-name');
    return statement?.[2] ?? this.hostname;
  }

  openSession(username: string): JunosCli {
    this.nextTerminal += 1;
    return new JunosCli(this, username, this.nextTerminal);
  }

  runningConfig(): string {
    return this.running.displaySet();
  }

  /** Minutes left on a pending `commit confirmed`, rounded up; undefined when none. */
  confirmMinutesLeft(): number | undefined {
    if (this.pending === undefined) return undefined;
    return Math.max(1, Math.ceil((this.pending.deadlineMs - this.clock.now()) / 60_000));
  }

  /**
   * Commits `candidate` for `session`. A plain commit (or `commit check`, via `confirmOnly`)
   * also confirms a pending `commit confirmed`, as on Junos.
   */
  commit(
    session: JunosCli,
    candidate: JunosConfig,
    confirmMinutes: number | undefined,
  ): CommitResult {
    const locked = this.lockedAgainst(session);
    if (locked !== undefined) return { ok: false, output: locked };
    if (this.faults.failCommit === true) {
      // One-shot, as DeviceFaults documents: the next commit fails, later ones work.
      this.faults.failCommit = false;
      return { ok: false, output: 'error: configuration check-out failed' };
    }

    const previous = this.running;
    const sharedWasClean = this.sharedCandidate.equals(previous);
    this.record({ config: candidate.clone(), user: session.username, atMs: this.clock.now() });
    if (sharedWasClean || candidate === this.sharedCandidate) {
      this.sharedCandidate = this.running.clone();
    }

    if (confirmMinutes === undefined) {
      this.confirmPending();
      return { ok: true, output: 'commit complete' };
    }
    this.armRollback(this.pending?.rollbackTo ?? previous, confirmMinutes);
    const latest = this.history[0];
    if (latest !== undefined) latest.note = 'commit confirmed';
    return {
      ok: true,
      output: [
        `commit confirmed will be automatically rolled back in ${confirmMinutes} minutes` +
          ' unless confirmed',
        'commit complete',
      ].join('\n'),
    };
  }

  /** `commit check` confirms a pending confirmed commit without committing anything new. */
  confirmPending(): void {
    this.pending?.timer.cancel();
    this.pending = undefined;
  }

  /** The lock message when another session holds `configure exclusive`. */
  lockedAgainst(session: JunosCli): string | undefined {
    const owner = this.exclusiveOwner;
    if (owner === undefined || owner === session) return undefined;
    return [
      'error: configuration database locked by:',
      `  ${owner.username} terminal p${owner.terminal} (pid ${4000 + owner.terminal})` +
        ' on since the start of the session',
      '      exclusive [edit]',
    ].join('\n');
  }

  releaseExclusive(session: JunosCli): void {
    if (this.exclusiveOwner !== session) return;
    this.exclusiveOwner = undefined;
    this.sharedCandidate = this.running.clone();
  }

  private armRollback(rollbackTo: JunosConfig, minutes: number): void {
    this.pending?.timer.cancel();
    const delayMs = minutes * 60_000;
    const timer = this.clock.setTimeout(() => this.rollBackUnconfirmed(), delayMs);
    this.pending = { rollbackTo, deadlineMs: this.clock.now() + delayMs, timer };
  }

  private rollBackUnconfirmed(): void {
    const target = this.pending?.rollbackTo;
    this.pending = undefined;
    if (target === undefined) return;
    this.record({
      config: target.clone(),
      user: 'root',
      atMs: this.clock.now(),
      note: 'automatic rollback: commit confirmed was not confirmed',
    });
    this.sharedCandidate = this.running.clone();
  }

  private record(commit: JunosCommit): void {
    this.history.unshift(commit);
    this.history.length = Math.min(this.history.length, maxHistory);
  }
}

function initialConfig(options: SimDeviceOptions): JunosConfig {
  if (options.initialConfig === undefined) {
    const { config } = JunosConfig.fromSetText(
      ['set version 23.4R1.9', `set system host-name ${options.hostname}`].join('\n'),
    );
    return config;
  }
  const text = options.initialConfig;
  if (!/^\s*set /m.test(text)) return fromBraces(options.hostname, text);
  const { config, errors } = JunosConfig.fromSetText(text);
  if (errors.length > 0) {
    throw new Error(`initialConfig for ${options.hostname} is not Junos set text: ${errors[0]}`);
  }
  return config;
}

function fromBraces(hostname: string, text: string): JunosConfig {
  const { paths, error } = parseJunosBraces(text);
  if (error !== undefined) throw new Error(`initialConfig for ${hostname}: ${error}`);
  const config = JunosConfig.empty();
  for (const path of paths) config.set(path);
  return config;
}

export const createJunosDevice: SimDeviceFactory = (options) => new JunosDevice(options);
