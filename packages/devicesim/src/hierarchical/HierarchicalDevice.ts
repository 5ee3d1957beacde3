import type { DeviceCli } from '../DeviceCli.ts';
import type { DeviceFaults } from '../DeviceFaults.ts';
import type { SimClock } from '../SimClock.ts';
import type { SimDevice, SimDeviceOptions, SimPlatform } from '../SimDevice.ts';
import type { CliDialect } from './CliDialect.ts';
import type { ConfigTree } from './ConfigTree.ts';

/**
 * State shared by all logins of an IOS-style device: the running and startup configurations
 * and when they last changed. Vendor devices add their safe-push state (archive and revert
 * timer, checkpoints, configuration sessions).
 */
export abstract class HierarchicalDevice implements SimDevice {
  abstract readonly platform: SimPlatform;
  abstract readonly dialect: CliDialect;
  running: ConfigTree;
  startup: ConfigTree;
  readonly clock: SimClock;
  readonly faults: DeviceFaults;
  lastChangeMs: number;
  lastChangeUser = 'admin';
  private readonly bootHostname: string;

  protected constructor(options: SimDeviceOptions, parse: (text: string) => ConfigTree) {
    this.clock = options.clock;
    this.faults = options.faults;
    this.bootHostname = options.hostname;
    this.running = parse(options.initialConfig ?? this.defaultConfig(options.hostname));
    this.startup = this.running.clone();
    this.lastChangeMs = options.clock.now();
  }

  /** The configuration a device boots with when the test gives none. */
  protected abstract defaultConfig(hostname: string): string;

  abstract openSession(username: string): DeviceCli;

  /** The hostname as configured now (the prompt follows `hostname` changes). */
  get hostname(): string {
    const line = this.running.root.children.find((child) => child.text.startsWith('hostname '));
    return line?.text.slice('hostname '.length) ?? this.bootHostname;
  }

  runningConfig(): string {
    return this.running.render(this.dialect.grammar.format).join('\n');
  }

  /** Records a change to running, for `! Last configuration change` and the like. */
  touch(user: string): void {
    this.lastChangeMs = this.clock.now();
    this.lastChangeUser = user;
  }

  /** True once: the `failCommit` fault is spent by the commit it fails. */
  takeCommitFault(): boolean {
    if (this.faults.failCommit !== true) return false;
    this.faults.failCommit = false;
    return true;
  }
}
