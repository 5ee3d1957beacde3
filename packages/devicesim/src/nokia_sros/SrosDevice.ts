import type { DeviceFaults } from '../DeviceFaults.ts';
import type { SimClock } from '../SimClock.ts';
import type { SimDevice, SimDeviceFactory, SimDeviceOptions } from '../SimDevice.ts';
import { SrosClassicCli } from './SrosClassicCli.ts';
import { renderTree, SrosConfig } from './SrosConfig.ts';
import { SrosMdCli } from './SrosMdCli.ts';

const defaultHeader = [
  '# TiMOS-B-23.10.R1 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2023 Nokia.',
  '# All rights reserved. All use subject to applicable license agreements.',
  '# Configuration format version 23.10 revision 0',
];

export type SrosCommitResult = { ok: true } | { ok: false; output: string };

interface PendingConfirm {
  rollbackTo: SrosConfig;
  timer: { cancel(): void };
}

/**
 * A 7750 SR's state shared by its sessions: the running datastore, the exclusive lock, the
 * last change for `# Last modified`, and a pending `commit confirmed` rolled back on the
 * injected clock. Sessions keep their own private candidates and baselines.
 */
export class SrosDevice implements SimDevice {
  readonly platform = 'nokia_sros';
  readonly hostname: string;
  readonly clock: SimClock;
  readonly faults: DeviceFaults;
  readonly header: readonly string[];
  readonly classicCli: boolean;
  running: SrosConfig;
  lastModified: { atMs: number; user: string };
  exclusiveOwner: SrosMdCli | undefined;
  private pending: PendingConfirm | undefined;
  private nextSession = 0;

  constructor(options: SimDeviceOptions) {
    this.hostname = options.hostname;
    this.clock = options.clock;
    this.faults = options.faults;
    this.classicCli = options.classicCli === true;
    const parsed = initialConfig(options);
    this.header = parsed.header.length > 0 ? parsed.header : defaultHeader;
    this.running = parsed.config;
    this.lastModified = { atMs: options.clock.now(), user: 'admin' };
  }

  /** The name in prompts: the configured `system name`, else the simulator's name. */
  promptHostname(): string {
    const item = this.running
      .list()
      .find((i) => i.path.length === 1 && i.path[0] === 'system' && i.leaf?.startsWith('name '));
    return item?.leaf?.slice(5).replace(/^"|"$/g, '') ?? this.hostname;
  }

  /** `system login-control motd text`, printed after login; `\n` in it breaks the line. */
  motd(): string {
    const item = this.running.list().find((i) => {
      const [system, loginControl, motd] = i.path;
      return system === 'system' && loginControl === 'login-control' && motd === 'motd';
    });
    const text = item?.leaf?.startsWith('text ') === true ? item.leaf.slice(5) : undefined;
    if (text === undefined) return '';
    return `${text.replace(/^"|"$/g, '').replace(/\\n/g, '\n')}\n`;
  }

  openSession(username: string): SrosMdCli | SrosClassicCli {
    this.nextSession += 1;
    return this.classicCli
      ? new SrosClassicCli(this)
      : new SrosMdCli(this, username, this.nextSession);
  }

  runningConfig(): string {
    return [...this.header, '', ...this.configureLines()].join('\n');
  }

  /** `configure { … }` as `admin show configuration` prints it. */
  configureLines(): string[] {
    return ['configure {', ...renderTree(this.running.tree(), 1), '}'];
  }

  hasPendingConfirm(): boolean {
    return this.pending !== undefined;
  }

  /**
   * Applies the session's changes (candidate against its baseline) to running. A plain commit
   * is refused while a confirmed commit waits; `commit confirmed` again restarts the timer.
   */
  commit(
    session: SrosMdCli,
    baseline: SrosConfig,
    candidate: SrosConfig,
    confirmMinutes: number | undefined,
  ): SrosCommitResult {
    const locked = this.lockedAgainst(session);
    if (locked !== undefined) return { ok: false, output: locked };
    if (this.pending !== undefined && confirmMinutes === undefined) {
      return {
        ok: false,
        // Wording is the simulator's: SR OS refuses a plain commit during a confirmed one.
        output: 'MINOR: MGMT_CORE #2705: Commit not allowed - confirmed commit in progress',
      };
    }
    if (this.faults.failCommit === true) {
      this.faults.failCommit = false;
      return {
        ok: false,
        output: 'MINOR: MGMT_CORE #2503: Commit failed - configuration check-out failed',
      };
    }

    const previous = this.running;
    const next = previous.clone();
    next.applyChanges(baseline, candidate);
    this.running = next;
    this.lastModified = { atMs: this.clock.now(), user: session.username };
    if (confirmMinutes !== undefined)
      this.armRollback(this.pending?.rollbackTo ?? previous, confirmMinutes);
    return { ok: true };
  }

  /** `commit confirmed accept`; false when nothing waits. */
  accept(): boolean {
    if (this.pending === undefined) return false;
    this.pending.timer.cancel();
    this.pending = undefined;
    return true;
  }

  /** `commit confirmed cancel`, and the timer's own rollback; false when nothing waits. */
  cancel(): boolean {
    const pending = this.pending;
    if (pending === undefined) return false;
    pending.timer.cancel();
    this.pending = undefined;
    this.running = pending.rollbackTo;
    this.lastModified = { atMs: this.clock.now(), user: 'system' };
    return true;
  }

  lockedAgainst(session: SrosMdCli): string | undefined {
    const owner = this.exclusiveOwner;
    if (owner === undefined || owner === session) return undefined;
    return (
      'MINOR: MGMT_CORE #2052: Exclusive datastore access unavailable - ' +
      `session ${owner.sessionId} (${owner.username}) holds an exclusive lock`
    );
  }

  private armRollback(rollbackTo: SrosConfig, minutes: number): void {
    this.pending?.timer.cancel();
    const timer = this.clock.setTimeout(() => this.cancel(), minutes * 60_000);
    this.pending = { rollbackTo, timer };
  }
}

function initialConfig(options: SimDeviceOptions): { header: string[]; config: SrosConfig } {
  if (options.initialConfig === undefined) {
    const { config } = SrosConfig.parse(
      `configure {\n    system {\n        name "${options.hostname}"\n    }\n}`,
    );
    return { header: [], config };
  }
  try {
    return SrosConfig.parse(options.initialConfig);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`initialConfig for ${options.hostname} is not MD-CLI text: ${reason}`);
  }
}

export const createSrosDevice: SimDeviceFactory = (options) => new SrosDevice(options);
