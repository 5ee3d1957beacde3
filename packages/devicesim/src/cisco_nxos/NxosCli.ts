import type { CliReply } from '../DeviceCli.ts';
import type { ConfigSession } from '../hierarchical/ConfigSession.ts';
import type { ConfigTree } from '../hierarchical/ConfigTree.ts';
import { ctime } from '../hierarchical/deviceTime.ts';
import { type ExecCommand, HierarchicalCli } from '../hierarchical/HierarchicalCli.ts';
import { treePatch } from '../hierarchical/treePatch.ts';
import { maxCheckpoints, type NxosDevice } from './NxosDevice.ts';

const rollbackStart = ['ADVISORY: Rollback operation started...', 'Collecting Running-Config'];

/**
 * One NX-OS login. Messages for checkpoint and session errors that devices.md does not quote
 * (duplicate name, limit reached, unknown checkpoint, failed commit) are modelled on NX-OS's
 * style, not copied from a device.
 */
export class NxosCli extends HierarchicalCli<NxosDevice> {
  private session: ConfigSession | undefined;

  override greeting(): string {
    return [
      'Cisco Nexus Operating System (NX-OS) Software',
      'TAC support: http://www.cisco.com/tac',
      'Copyright (C) 2002-2023, Cisco and/or its affiliates.',
      'All rights reserved.',
      super.greeting(),
    ].join('\n');
  }

  protected override configTree(): ConfigTree {
    return this.session?.candidate ?? this.device.running;
  }

  protected override configChanged(): void {
    if (this.session === undefined) super.configChanged();
  }

  protected override configLabel(): string {
    const label = super.configLabel();
    if (this.session === undefined) return label;
    return label === 'config' ? 'config-s' : label.replace(/^config-/, 'config-s-');
  }

  protected override leaveConfig(): void {
    super.leaveConfig();
    this.session = undefined;
  }

  protected showRunningConfig(): string {
    const now = ctime(this.device.clock.now());
    return [
      '!Command: show running-config',
      `!Running configuration last done at: ${ctime(this.device.lastChangeMs)}`,
      `!Time: ${now}`,
      this.device.runningConfig(),
    ].join('\n');
  }

  protected override vendorConfigCommand(line: string): CliReply | undefined {
    const session = this.session;
    if (session === undefined) return undefined;
    if (line === 'verify') return { output: 'Verification Successful\n' };
    if (line === 'abort') {
      this.device.sessions.delete(session.name);
      this.leaveConfig();
      return { output: '' };
    }
    if (line !== 'commit') return undefined;
    this.device.sessions.delete(session.name);
    this.leaveConfig();
    if (this.device.takeCommitFault()) {
      return {
        output:
          'Verification Successful\nCommit Failed\nERROR: Failed to apply session configuration\n',
      };
    }
    this.device.running = session.candidate;
    this.device.touch(this.username);
    return { output: 'Commit Successful\n' };
  }

  protected vendorAction({ action, words }: ExecCommand): CliReply | undefined {
    const name = words[1] ?? '';
    switch (action) {
      case 'configSession':
        return this.openConfigSession(words[2] ?? '');
      case 'dontAsk':
        return { output: '' };
      case 'checkpoint':
        return this.createCheckpoint(name);
      case 'deleteCheckpoint':
        return this.device.checkpoints.delete(words[2] ?? '')
          ? { output: '' }
          : { output: `ERROR: Checkpoint ${words[2]} does not exist\n` };
      case 'clearCheckpoints':
        this.device.checkpoints.clear();
        return { output: '' };
      case 'showCheckpoints':
        return { output: this.checkpointSummary(), pageable: true };
      case 'diffCheckpoint':
        return this.diffCheckpoint(words[4] ?? '');
      case 'rollback':
        return this.rollback(words[3] ?? '');
      case 'showSession':
        return this.showSession(words[3] ?? '');
      case 'writeMemory':
        return this.copyRunningToStartup();
      case 'showStartup':
        return {
          output: `${this.device.startup.render(this.device.dialect.grammar.format).join('\n')}\n`,
          pageable: true,
        };
      case 'showVersion':
        return {
          output: [
            'Cisco Nexus Operating System (NX-OS) Software',
            'Software',
            '  NXOS: version 10.3(4a)',
            'Hardware',
            '  cisco Nexus9000 C93180YC-FX Chassis',
            `  Device name: ${this.device.hostname}`,
            '',
          ].join('\n'),
          pageable: true,
        };
      default:
        return undefined;
    }
  }

  private openConfigSession(name: string): CliReply {
    let session = this.device.sessions.get(name);
    if (session === undefined) {
      session = { name, candidate: this.device.running.clone(), state: 'pending' };
      this.device.sessions.set(name, session);
    }
    this.enterConfig();
    this.session = session;
    const id = [...this.device.sessions.keys()].indexOf(name) + 1;
    const started = `Config Session started, Session ID is ${id}`;
    return { output: `${started}\n${this.device.dialect.enterConfigMessage}` };
  }

  private createCheckpoint(name: string): CliReply {
    const checkpoints = this.device.checkpoints;
    if (checkpoints.has(name)) return { output: `ERROR: Checkpoint name ${name} already in use\n` };
    if (checkpoints.size >= maxCheckpoints) {
      return { output: `ERROR: Maximum number of checkpoints (${maxCheckpoints}) reached\n` };
    }
    const tree = this.device.running.clone();
    checkpoints.set(name, { tree, createdMs: this.device.clock.now(), user: this.username });
    return { output: '.......Done\n' };
  }

  private checkpointSummary(): string {
    const lines = ['User Checkpoint Summary', '-'.repeat(70)];
    let index = 1;
    for (const [name, checkpoint] of this.device.checkpoints) {
      lines.push(`${index++}) ${name}:`);
      lines.push(`Created by ${checkpoint.user}`);
      lines.push(`Created at ${ctime(checkpoint.createdMs)}`);
      lines.push('');
    }
    return `${lines.join('\n')}\n`;
  }

  private diffCheckpoint(name: string): CliReply {
    const checkpoint = this.device.checkpoints.get(name);
    if (checkpoint === undefined) return { output: `ERROR: Checkpoint ${name} does not exist\n` };
    const format = this.device.dialect.grammar.format;
    const patch = treePatch(checkpoint.tree.root, this.device.running.root, format);
    const body = patch.length === 0 ? ['Rollback Patch is Empty'] : ['!!', ...patch];
    const lines = ['Collecting Running-Config', '#Generating Rollback Patch', ...body];
    return {
      output: `${lines.join('\n')}\n`,
      pageable: true,
    };
  }

  private rollback(name: string): CliReply {
    const checkpoint = this.device.checkpoints.get(name);
    if (checkpoint === undefined) return { output: `ERROR: Checkpoint ${name} does not exist\n` };
    const steps = [...rollbackStart, 'Generating Rollback Patch', 'Executing Rollback Patch'];
    if (this.device.takeCommitFault())
      return { output: `${[...steps, 'Rollback failed.'].join('\n')}\n` };
    this.device.running = checkpoint.tree.clone();
    this.device.touch(this.username);
    return { output: `${[...steps, 'Rollback completed successfully.'].join('\n')}\n` };
  }

  private showSession(name: string): CliReply {
    const session = this.device.sessions.get(name);
    if (session === undefined) return { output: `ERROR: Session ${name} does not exist\n` };
    const format = this.device.dialect.grammar.format;
    const patch = treePatch(this.device.running.root, session.candidate.root, format);
    return { output: `config session ${name}\n${patch.map((l) => `  ${l}`).join('\n')}\n` };
  }

  private copyRunningToStartup(): CliReply {
    if (this.device.takeCommitFault()) {
      return {
        output: '[#########                               ]  20%\nCopy failed: flash write error\n',
      };
    }
    this.device.startup = this.device.running.clone();
    this.device.lastSavedMs = this.device.clock.now();
    return {
      output:
        '[########################################] 100%\n' +
        'Copy complete, now saving to disk (please wait)...\nCopy complete.\n',
    };
  }
}
