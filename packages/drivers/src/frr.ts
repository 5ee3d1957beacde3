import type { CliSession } from './CliSession.ts';
import type { DeviceDriver, PendingChange, StageOptions } from './DeviceDriver.ts';
import type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
import { DriverError } from './DriverError.ts';
import { frrRestoreCommands } from './frrConfigTree.ts';

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

class FrrDriver implements DeviceDriver {
  readonly platform = 'frr' as const;

  constructor(
    readonly session: CliSession,
    private readonly options: DriverOptions,
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
    try {
      for (const line of lines) {
        const output = await this.send(line);
        const message = errorLine.exec(output)?.[0];
        if (message !== undefined) return { line, deviceMessage: output.trim() };
      }
      return undefined;
    } finally {
      await this.send('end');
    }
  }

  /**
   * Takes the running config back to `prior` by negating what was added and re-entering what
   * was removed (as frr-reload.py does; re-applying the saved text alone would not remove
   * additions), then reads it back. Returns the differences that remain, empty if restored.
   */
  async restore(prior: string): Promise<string[]> {
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
  private timer: NodeJS.Timeout | undefined;
  private rollback: Promise<void> | undefined;

  constructor(
    private readonly driver: FrrDriver,
    private readonly lines: readonly string[],
    private readonly prior: string,
    private readonly confirmTimeoutMs = defaultConfirmTimeoutMs,
  ) {}

  async commit(): Promise<void> {
    this.expect('staged', 'commit');
    this.state = 'committed';
    const rejected = await this.driver.apply(this.lines);
    if (rejected !== undefined) {
      this.state = 'rolled_back';
      const remaining = await this.driver.restore(this.prior);
      throw rejectedError(this.driver.session.device, rejected, remaining);
    }
    // FRR has no commit timer of its own; this one lives in the driver's process. If that
    // process dies or the session drops before it fires, nothing restores the old config.
    this.timer = setTimeout(
      () => void this.rollBack().catch(() => undefined),
      this.confirmTimeoutMs,
    );
    this.timer.unref();
  }

  async confirm(): Promise<void> {
    this.expect('committed', 'confirm');
    clearTimeout(this.timer);
    this.state = 'confirmed';
    const output = await this.driver.send('write memory');
    if (!/\[OK\]|Configuration saved/.test(output)) {
      throw new DriverError(
        'commit_failed',
        `${this.driver.session.device}: "write memory" did not confirm the save; it printed: ` +
          output.trim().slice(0, 300),
        { device: this.driver.session.device, line: 'write memory', deviceMessage: output.trim() },
      );
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'staged') {
      this.state = 'aborted';
      return;
    }
    if (this.state === 'rolled_back') return this.rollback;
    this.expect('committed', 'abort');
    await this.rollBack();
  }

  /** Restores the prior config once, whether the timer or `abort` asks first. */
  private rollBack(): Promise<void> {
    clearTimeout(this.timer);
    if (this.state !== 'committed') return this.rollback ?? Promise.resolve();
    this.state = 'rolled_back';
    this.rollback = this.driver.restore(this.prior).then((remaining) => {
      if (remaining.length > 0) throw incompleteRestore(this.driver.session.device, remaining);
    });
    return this.rollback;
  }

  private expect(state: State, action: string): void {
    if (this.state === state) return;
    const device = this.driver.session.device;
    const code = this.state === 'rolled_back' ? 'rolled_back' : 'commit_failed';
    throw new DriverError(
      code,
      `${device}: cannot ${action}: the change is ${this.state}, ` + `expected ${state}`,
      { device },
    );
  }
}

function rejectedError(
  device: string,
  rejected: { line: string; deviceMessage: string },
  remaining: string[],
): DriverError {
  const restored =
    remaining.length === 0
      ? 'the previous configuration was restored'
      : `restoring the previous configuration left ${remaining.length} differences: ` +
        remaining.slice(0, 5).join(' | ');
  return new DriverError(
    remaining.length === 0 ? 'command_rejected' : 'commit_failed',
    `${device}: the device rejected "${rejected.line}": ${rejected.deviceMessage}; ${restored}`,
    { device, line: rejected.line, deviceMessage: rejected.deviceMessage },
  );
}

function incompleteRestore(device: string, remaining: string[]): DriverError {
  return new DriverError(
    'commit_failed',
    `${device}: rolling back left ${remaining.length} differences from the previous ` +
      `configuration: ${remaining.slice(0, 5).join(' | ')}`,
    { device },
  );
}
