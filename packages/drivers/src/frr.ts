import type { CliSession } from './CliSession.ts';
import { checkConfigLines } from './checkConfigLines.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError, withOutcome } from './DriverError.ts';
import { realTimers } from './DriverTimers.ts';
import { frrRestoreCommands } from './frrConfigTree.ts';
import { requireState } from './requireState.ts';
import { withLiveSession } from './withLiveSession.ts';

const defaultConfirmTimeoutMs = 5 * 60_000;
const volatileLine = /^(Building configuration\.\.\.|Current configuration:)\s*$/;
/**
 * vtysh's own errors (`% Unknown command: …`, `% Command incomplete: …`, `% Ambiguous
 * command: …`) and the daemons' (`% Refusing to remove a non-existent route`) start with `%`;
 * bgpd also answers `BGP is already running; AS is 65010`.
 */
const errorLine = /^(%.*|.*is already running.*|Error.*)$/m;

/** FRRouting's vtysh: config applies line by line, live; there is no candidate and no timer. */
export const frrDriver: DriverDefinition = {
  platform: 'frr',
  // Also matches `(null)(config)# `, vtysh's prompt after `no hostname`.
  promptPattern: /^[\w.-]*(\([\w-]+\)){0,2}[#>] ?$/,
  create: (session, options) => new FrrDriver(session, options),
};

/**
 * FRR has no candidate and no commit timer: `commit()` enters the lines live, and the driver
 * keeps what the device lacks. `stage()` records the running config; a rejected line, a lost
 * connection during `commit()`, `abort()` and the confirm deadline all restore it (on a new
 * session from `reopenSession` when the first one is gone).
 *
 * Known shortcomings: there is no device diff (`deviceDiff` is undefined); the deadline lives
 * in this process, so if the process ends between `commit()` and `confirm()` the change
 * stays; and a change made by someone else between `stage()` and a rollback is undone too.
 */
export class FrrDriver implements DeviceDriver {
  readonly platform = 'frr' as const;

  constructor(
    readonly session: CliSession,
    readonly options: DriverOptions,
  ) {}

  async prepare(): Promise<void> {
    await this.send('terminal length 0');
  }

  async getConfig(): Promise<string> {
    const output = await this.send('show running-config');
    const lines = output.split('\n');
    while (lines[0] !== undefined && (volatileLine.test(lines[0]) || lines[0].trim() === '')) {
      lines.shift();
    }
    return lines.join('\n').replace(/\n*$/, '\n');
  }

  /**
   * Nothing can be staged on FRR: this records the running config that a rejected line, an
   * abort or a missed confirmation restores.
   */
  async stage(lines: readonly string[], options: StageOptions = {}): Promise<PendingChange> {
    checkConfigLines(this.session.device, lines);
    const prior = await this.getConfig();
    return new FrrPendingChange(this, lines, prior, options.confirmTimeoutMs);
  }

  send(command: string): Promise<string> {
    return this.session.send(
      command,
      this.options.commandTimeoutMs === undefined
        ? {}
        : { timeoutMs: this.options.commandTimeoutMs },
    );
  }

  /** Enters `lines` in `configure terminal`; the first rejected line stops and is returned. */
  async apply(
    lines: readonly string[],
  ): Promise<{ line: string; deviceMessage: string } | undefined> {
    await this.send('configure terminal');
    for (const line of lines) {
      const output = await this.send(line);
      if (errorLine.test(output)) {
        await this.send('end');
        return { line, deviceMessage: output.trim() };
      }
    }
    await this.send('end');
    return undefined;
  }

  /**
   * Takes the running config back to `prior` by negating what was added and re-entering what
   * was removed (as frr-reload.py does; re-applying the saved text alone would not remove
   * additions), then reads it back. Returns the differences that remain, empty if restored.
   * Runs on a new session when this one is closed.
   */
  restore(prior: string): Promise<string[]> {
    const manualStep = 'restore the configuration by hand (frr-reload.py with the saved file)';
    const reopen = this.options.reopenSession;
    return withLiveSession(this.session, reopen, manualStep, async (live, reopened) => {
      const driver = reopened ? new FrrDriver(live, this.options) : this;
      if (reopened) await driver.prepare();
      return driver.restoreHere(prior);
    });
  }

  private async restoreHere(prior: string): Promise<string[]> {
    const commands = frrRestoreCommands(prior, await this.getConfig());
    if (commands.length > 0) await this.applyIgnoringErrors(commands);
    return frrRestoreCommands(prior, await this.getConfig());
  }

  private async applyIgnoringErrors(commands: readonly string[]): Promise<void> {
    await this.send('configure terminal');
    for (const command of commands) await this.send(command);
    await this.send('end');
  }
}

type State = 'staged' | 'committed' | 'confirmed' | 'aborted' | 'rolled_back';

class FrrPendingChange implements PendingChange {
  readonly deviceDiff = undefined;
  private state: State = 'staged';
  private deadline: { cancel(): void } | undefined;
  private expired = false;
  private rollback: Promise<void> | undefined;
  private rollbackError: unknown;

  constructor(
    private readonly driver: FrrDriver,
    private readonly lines: readonly string[],
    private readonly prior: string,
    private readonly confirmTimeoutMs = defaultConfirmTimeoutMs,
  ) {}

  private get device(): string {
    return this.driver.session.device;
  }

  async commit(): Promise<void> {
    this.expect('staged', 'commit');
    this.state = 'committed';
    this.deadline = (this.driver.options.timers ?? realTimers).setTimeout(() => {
      this.expired = true;
      this.rollBack().catch((error: unknown) => {
        this.rollbackError = error;
      });
    }, this.confirmTimeoutMs);

    const rejected = await this.driver.apply(this.lines).catch(async (error: unknown) => {
      // Some lines are live already: put the old config back now, not at the deadline.
      throw withOutcome(error, (await this.rollBackNow()).outcome);
    });
    if (rejected === undefined) return;
    const { restored, outcome } = await this.rollBackNow();
    throw new DriverError(
      restored ? 'command_rejected' : 'commit_failed',
      `${this.device}: the device rejected "${rejected.line}": ${rejected.deviceMessage}; ` +
        outcome,
      { device: this.device, line: rejected.line, deviceMessage: rejected.deviceMessage },
    );
  }

  /** Rolls back after a failed commit and says how that went, for the commit's error. */
  private rollBackNow(): Promise<{ restored: boolean; outcome: string }> {
    return this.rollBack().then(
      () => ({ restored: true, outcome: 'the previous configuration was restored' }),
      (failure: unknown) => ({
        restored: false,
        outcome:
          `restoring the previous configuration failed (${messageOf(failure)});` +
          ' the deadline or abort() tries again',
      }),
    );
  }

  async confirm(): Promise<void> {
    await this.rollback?.catch(() => undefined);
    if (this.expired && this.state !== 'rolled_back') {
      throw new DriverError(
        'commit_failed',
        `${this.device}: the ${this.confirmTimeoutMs} ms deadline passed and restoring the ` +
          `previous configuration failed: ${messageOf(this.rollbackError)} (abort() retries)`,
        { device: this.device },
      );
    }
    this.expect('committed', 'confirm');
    if (this.driver.session.closed) {
      throw new DriverError(
        'connection_lost',
        `${this.device}: cannot confirm, the session is closed; the previous configuration is` +
          ' restored at the deadline, or at once by abort()',
        { device: this.device },
      );
    }
    this.deadline?.cancel();
    this.state = 'confirmed';
    const output = await this.driver.send('write memory');
    if (!/\[OK\]|Configuration saved/.test(output)) {
      throw new DriverError(
        'commit_failed',
        `${this.device}: "write memory" did not confirm the save; it printed: ` +
          output.trim().slice(0, 300),
        { device: this.device, line: 'write memory', deviceMessage: output.trim() },
      );
    }
  }

  async abort(): Promise<void> {
    await this.rollback?.catch(() => undefined);
    if (this.state === 'staged') {
      this.state = 'aborted';
      return;
    }
    if (this.state === 'rolled_back' || this.state === 'aborted') return;
    this.expect('committed', 'abort');
    await this.rollBack();
  }

  /** Restores the prior config once, whoever asks first; a failure allows a retry. */
  private rollBack(): Promise<void> {
    if (this.rollback !== undefined) return this.rollback;
    if (this.state !== 'committed') return Promise.resolve();
    this.rollback = this.driver
      .restore(this.prior)
      .then((remaining) => {
        if (remaining.length > 0) throw incompleteRestore(this.device, remaining);
        this.deadline?.cancel();
        this.state = 'rolled_back';
      })
      .catch((error: unknown) => {
        this.rollback = undefined;
        throw error;
      });
    return this.rollback;
  }

  private expect(state: State, action: string): void {
    requireState(this.device, action, this.state, state);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function incompleteRestore(device: string, remaining: string[]): DriverError {
  return new DriverError(
    'commit_failed',
    `${device}: rolling back left ${remaining.length} differences from the previous ` +
      `configuration: ${remaining.slice(0, 5).join(' | ')}`,
    { device },
  );
}
