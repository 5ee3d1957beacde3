import type { DeviceCli } from '../DeviceCli.ts';
import { ConfigTree } from '../hierarchical/ConfigTree.ts';
import { HierarchicalDevice } from '../hierarchical/HierarchicalDevice.ts';
import type { SimDeviceFactory, SimDeviceOptions } from '../SimDevice.ts';
import { IosCli } from './IosCli.ts';
import { iosDialect, iosFormat } from './iosDialect.ts';

/** A pending `configure terminal revert timer`: what to go back to, and when. */
export interface PendingRevert {
  snapshot: ConfigTree;
  archiveFile: string;
  startedMs: number;
  minutes: number;
  user: string;
  timer: { cancel(): void };
}

/**
 * A Catalyst running IOS-XE. Safe push is the archive-based Configuration Rollback Confirmed
 * Change: `configure terminal revert timer N` archives running and reverts to it after N
 * minutes unless `configure confirm` comes first, whether or not the session is still open.
 */
export class IosDevice extends HierarchicalDevice {
  readonly platform = 'cisco_ios';
  readonly dialect = iosDialect;
  pendingRevert: PendingRevert | undefined;
  archiveFiles: string[] = [];

  constructor(options: SimDeviceOptions) {
    super(options, (text) => ConfigTree.parse(text, iosFormat));
  }

  protected defaultConfig(hostname: string): string {
    return [
      '!',
      'version 17.9',
      'service timestamps debug datetime msec',
      'service timestamps log datetime msec',
      '!',
      `hostname ${hostname}`,
      '!',
      'no ip domain lookup',
      '!',
      'archive',
      ' path flash:archive',
      ' maximum 14',
      '!',
      'interface Loopback0',
      ' ip address 10.255.0.1 255.255.255.255',
      '!',
      'interface GigabitEthernet0/0',
      ' description OOB management',
      ' ip address 192.0.2.10 255.255.255.0',
      ' negotiation auto',
      '!',
      'ntp server 192.0.2.2',
      '!',
      'line vty 0 4',
      ' transport input ssh',
      '!',
      'end',
    ].join('\n');
  }

  openSession(username: string): DeviceCli {
    return new IosCli(this, username);
  }

  /** The archive path (`archive` / ` path flash:x`), or undefined when archiving is off. */
  archivePath(): string | undefined {
    const path = this.running.find(['archive'])?.children.find((c) => c.text.startsWith('path '));
    return path?.text.slice('path '.length);
  }

  /** Starts (or restarts) the revert timer; the snapshot is the config before this change. */
  armRevert(minutes: number, user: string): PendingRevert {
    const previous = this.pendingRevert;
    previous?.timer.cancel();
    const archiveFile = previous?.archiveFile ?? this.archive();
    const pending: PendingRevert = {
      snapshot: previous?.snapshot ?? this.running.clone(),
      archiveFile,
      startedMs: this.clock.now(),
      minutes,
      user,
      timer: this.clock.setTimeout(() => this.revert(), minutes * 60_000),
    };
    this.pendingRevert = pending;
    return pending;
  }

  confirmRevert(): boolean {
    const pending = this.pendingRevert;
    if (pending === undefined) return false;
    pending.timer.cancel();
    this.pendingRevert = undefined;
    return true;
  }

  /** Goes back to the archived configuration (timer expiry or `configure revert now`). */
  revert(): boolean {
    const pending = this.pendingRevert;
    if (pending === undefined) return false;
    pending.timer.cancel();
    this.pendingRevert = undefined;
    this.running = pending.snapshot;
    this.touch(pending.user);
    return true;
  }

  private archive(): string {
    const file = `${this.archivePath() ?? 'flash:archive'}-${this.archiveFiles.length + 1}`;
    this.archiveFiles.push(file);
    return file;
  }
}

export const iosDeviceFactory: SimDeviceFactory = (options) => new IosDevice(options);
