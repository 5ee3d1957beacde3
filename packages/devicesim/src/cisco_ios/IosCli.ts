import type { CliReply } from '../DeviceCli.ts';
import { iosTime } from '../hierarchical/deviceTime.ts';
import { type ExecCommand, HierarchicalCli } from '../hierarchical/HierarchicalCli.ts';
import type { IosDevice } from './IosDevice.ts';

const noPending = 'No Rollback Confirmed Change pending\n';

/**
 * One IOS-XE login: exec, privileged and config modes, revert timers, archive. The revert
 * timer's notices (`Backing up current running config to …`, `Rollback Done`) follow IOS's
 * wording as far as devices.md quotes it; the rest is modelled on it, not copied from a device.
 *
 * Known shortcomings: logins land in privileged mode (no enable secret), and the prompt is
 * not cut to 20 characters in config mode as on real IOS.
 */
export class IosCli extends HierarchicalCli<IosDevice> {
  override greeting(): string {
    return `\n${super.greeting()}`;
  }

  protected showRunningConfig(): string {
    const body = this.device.runningConfig();
    const lines = body.split('\n');
    const { lastChangeMs, lastChangeUser } = this.device;
    const change = `! Last configuration change at ${iosTime(lastChangeMs)} by ${lastChangeUser}`;
    const rest = lines[0] === '!' ? lines.slice(1) : lines;
    return [
      'Building configuration...',
      '',
      `Current configuration : ${Buffer.byteLength(body)} bytes`,
      '!',
      change,
      '!',
      ...rest,
    ].join('\n');
  }

  protected vendorAction({ action, words, line }: ExecCommand): CliReply | undefined {
    const device = this.device;
    switch (action) {
      case 'revertTimer':
        return this.startRevertTimer(Number(words.at(-1)), line);
      case 'configureConfirm':
        return { output: device.confirmRevert() ? '' : `%${noPending}` };
      case 'revertNow':
        return { output: device.revert() ? 'Rollback Done\n' : `%${noPending}` };
      case 'revertReset':
        if (device.pendingRevert === undefined) return { output: `%${noPending}` };
        device.armRevert(Number(words.at(-1)), this.username);
        return { output: '' };
      case 'showRollbackTimer':
        return { output: this.rollbackTimerText() };
      case 'showArchive':
        return { output: this.archiveText() };
      case 'writeMemory':
        device.startup = device.running.clone();
        return { output: 'Building configuration...\n[OK]\n' };
      case 'showStartup': {
        const body = device.startup.render(device.dialect.grammar.format).join('\n');
        return {
          output: `Using ${Buffer.byteLength(body)} out of 33554432 bytes\n${body}\n`,
          pageable: true,
        };
      }
      case 'showVersion':
        return { output: this.versionText(), pageable: true };
      case 'showClock':
        return { output: `*${iosTime(device.clock.now()).replace(' UTC', '.000 UTC')}\n` };
      default:
        return undefined;
    }
  }

  private startRevertTimer(minutes: number, line: string): CliReply {
    const path = this.device.archivePath();
    if (path === undefined) return { output: '%Please turn config archive on\n' };
    if (minutes < 1 || minutes > 120) {
      const column = line.trimEnd().lastIndexOf(' ') + 1;
      const invalid = { kind: 'invalid', wordIndex: 4, column } as const;
      return { output: this.errorText(invalid, line, this.prompt().length, 'exec') };
    }
    if (this.device.takeCommitFault()) {
      return {
        output:
          `%Error opening ${path}-${this.device.archiveFiles.length + 1}` +
          ' (No space left on device)\n',
      };
    }
    const pending = this.device.armRevert(minutes, this.username);
    this.enterConfig();
    const note =
      'Rollback Confirmed Change: Backing up current running config to ' +
      `${pending.archiveFile}\n`;
    return { output: note + this.device.dialect.enterConfigMessage };
  }

  private rollbackTimerText(): string {
    const pending = this.device.pendingRevert;
    if (pending === undefined) return noPending;
    return [
      `Time configured(or reset) : ${iosTime(pending.startedMs)}`,
      'Timer type: absolute',
      `Timer value: ${pending.minutes} min`,
      `User: ${pending.user}`,
      '',
    ].join('\n');
  }

  private archiveText(): string {
    const path = this.device.archivePath();
    if (path === undefined) return 'Archive feature not enabled\n';
    const files = this.device.archiveFiles;
    return [
      'The maximum archive configurations allowed is 14.',
      `There are currently ${files.length} archive configurations saved.`,
      `The next archive file will be named ${path}-${files.length + 1}`,
      ' Archive #  Name',
      ...files.map((file, index) => `   ${String(index + 1).padEnd(8)} ${file}`),
      '',
    ].join('\n');
  }

  private versionText(): string {
    return [
      'Cisco IOS XE Software, Version 17.09.04a',
      'Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE),' +
        ' Version 17.9.4a, RELEASE SOFTWARE (fc3)',
      'Copyright (c) 1986-2023 by Cisco Systems, Inc.',
      '',
      `${this.device.hostname} uptime is ${Math.floor(this.device.clock.now() / 60_000)} minutes`,
      'cisco C9300-48P (X86) processor with 1419044K/6147K bytes of memory.',
      'Configuration register is 0x102',
      '',
    ].join('\n');
  }
}
