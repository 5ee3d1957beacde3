import type { DeviceCli } from '../DeviceCli.ts';
import type { ConfigSession } from '../hierarchical/ConfigSession.ts';
import { ConfigTree } from '../hierarchical/ConfigTree.ts';
import { HierarchicalDevice } from '../hierarchical/HierarchicalDevice.ts';
import type { SimDeviceFactory, SimDeviceOptions } from '../SimDevice.ts';
import { EosCli } from './EosCli.ts';
import { eosDialect, eosFormat } from './eosDialect.ts';

/**
 * An Arista switch running EOS. Safe push is a configuration session: a candidate that
 * `commit timer hh:mm:ss` applies and rolls back when `configure session NAME commit` does not
 * confirm it in time, whether or not the login that committed it is still there.
 *
 * Known shortcoming: EOS's limits on pending and completed sessions are not enforced, so
 * sessions left by dropped logins pile up here without ever blocking a new one.
 */
export class EosDevice extends HierarchicalDevice {
  readonly platform = 'arista_eos';
  readonly dialect = eosDialect;
  readonly sessions = new Map<string, ConfigSession>();
  /** Model and version for `! device:`, from the initial config's own line when it has one. */
  readonly model: string;
  readonly version: string;

  constructor(options: SimDeviceOptions) {
    super(options, (text) => ConfigTree.parse(text, eosFormat));
    const device = /^! device: \S+ \(([^,]+), (EOS-[^)]+)\)/m.exec(options.initialConfig ?? '');
    this.model = device?.[1] ?? 'vEOS-lab';
    this.version = device?.[2] ?? 'EOS-4.31.2F';
  }

  protected defaultConfig(hostname: string): string {
    return [
      '!',
      'no aaa root',
      '!',
      `hostname ${hostname}`,
      '!',
      'ntp server 192.0.2.2',
      '!',
      'spanning-tree mode mstp',
      '!',
      'interface Ethernet1',
      '   description Uplink',
      '   no switchport',
      '   ip address 10.0.0.2/31',
      '!',
      'interface Loopback0',
      '   ip address 10.255.0.3/32',
      '!',
      'interface Management1',
      '   ip address 192.0.2.12/24',
      '!',
      'ip routing',
      '!',
      'end',
    ].join('\n');
  }

  openSession(username: string): DeviceCli {
    return new EosCli(this, username);
  }

  /** The session whose commit waits for confirmation, if any; it blocks other commits. */
  pendingTimerSession(): ConfigSession | undefined {
    return [...this.sessions.values()].find((s) => s.state === 'pendingCommitTimer');
  }

  /** Applies a session's candidate; with `timerMs`, arms the rollback to the current running. */
  commitSession(session: ConfigSession, user: string, timerMs?: number): void {
    if (timerMs === undefined) {
      session.state = 'completed';
    } else {
      const snapshot = this.running.clone();
      const timer = this.clock.setTimeout(() => this.rollBack(session, user), timerMs);
      session.rollback = { snapshot, timer, dueMs: this.clock.now() + timerMs };
      session.state = 'pendingCommitTimer';
    }
    this.running = session.candidate.clone();
    this.touch(user);
  }

  /** `configure session NAME commit` within the timer: the change stays. */
  confirmSession(session: ConfigSession): void {
    session.rollback?.timer.cancel();
    delete session.rollback;
    session.state = 'completed';
  }

  /** Timer expiry or `configure session NAME abort` while the timer runs. */
  rollBack(session: ConfigSession, user: string): void {
    const rollback = session.rollback;
    if (rollback === undefined) return;
    rollback.timer.cancel();
    delete session.rollback;
    session.state = 'aborted';
    this.running = rollback.snapshot;
    this.touch(user);
  }
}

export const eosDeviceFactory: SimDeviceFactory = (options) => new EosDevice(options);
