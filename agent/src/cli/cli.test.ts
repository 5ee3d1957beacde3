import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloudPeer } from '../testing/fakeCloudPeer.ts';
import { freePort } from '../testing/freePort.ts';

const launcher = fileURLToPath(new URL('../../bin/plumbline-agent', import.meta.url));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

let peer: FakeCloudPeer;
let stateDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  peer = await FakeCloudPeer.start();
  stateDir = join(mkdtempSync(join(tmpdir(), 'plumbline-cli-')), 'state');
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await peer.close();
});

function agentCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Each command is a new Node process with tsx: a few seconds on a busy two-core machine.
describe('plumbline-agent', { timeout: 30_000 }, () => {
  it('enrolls, runs, reports its status, and stops on SIGTERM with agent_stopping', async () => {
    peer.addToken('t-1');
    const enrolled = await agentCommand([
      'enroll',
      '--cloud',
      peer.url,
      '--token',
      't-1',
      '--state-dir',
      stateDir,
      '--name',
      'cli',
    ]);
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout.trim()).toMatch(/^agent-/);
    expect(enrolled.stderr).toContain('enrolled agent');

    const port = await freePort();
    const connecting = peer.nextConnection();
    const child = spawn(
      process.execPath,
      [launcher, 'run', '--state-dir', stateDir, '--health-port', String(port)],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const connection = await connecting;
    await connection.authenticated;
    await connection.sync();

    const status = await agentCommand(['status', '--health-port', String(port)]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('link         connected');
    expect(status.stdout).toContain(enrolled.stdout.trim());

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await connection.closed).reason).toBe('agent_stopping');

    const after = await agentCommand(['status', '--health-port', String(port)]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('no agent answers');
  });

  it('refuses a second enroll without --force (exit 1) and a run without identity (exit 78)', async () => {
    peer.addToken('t-1');
    peer.addToken('t-2');
    await agentCommand(['enroll', '--cloud', peer.url, '--token', 't-1', '--state-dir', stateDir]);
    const again = await agentCommand([
      'enroll',
      '--cloud',
      peer.url,
      '--token',
      't-2',
      '--state-dir',
      stateDir,
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');

    const run = await agentCommand(['run', '--state-dir', join(stateDir, 'none'), '--no-health']);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('plumbline-agent enroll');
  });

  it('prints the usage and exits 2 on an unknown command or option', async () => {
    expect((await agentCommand(['fly'])).code).toBe(2);
    const bad = await agentCommand(['run', '--colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: plumbline-agent');
  });
});
