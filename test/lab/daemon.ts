import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runDir } from './paths.js';

/** A long-running lab process, known by a name that picks its pid file and log file. */
export interface DaemonSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function logFile(name: string): string {
  return join(runDir, `${name}.log`);
}

function pidFile(name: string): string {
  return join(runDir, `${name}.pid`);
}

/**
 * Starts a process in its own process group, detached from ours, with its output appended to
 * its log file, and records its pid. The lab outlives the command that started it.
 */
export function startDaemon(spec: DaemonSpec): number {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const log = openSync(logFile(spec.name), 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
  child.unref();
  writeFileSync(pidFile(spec.name), String(child.pid));
  return child.pid;
}

/** The pid of a daemon that is still alive, or undefined. */
export function daemonPid(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** Stops a daemon and everything it spawned: SIGTERM to its group, SIGKILL after the grace. */
export async function stopDaemon(name: string, graceMs = 10_000): Promise<void> {
  const pid = daemonPid(name);
  rmSyncQuiet(pidFile(name));
  if (pid === undefined) return;

  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function rmSyncQuiet(file: string): void {
  rmSync(file, { force: true });
}
