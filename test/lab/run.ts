import { spawn } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text written to the command's standard input. */
  input?: string;
  /** Accept a non-zero exit instead of throwing; the caller reads `code`. */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and collects its output. A failure throws with the command, its
 * exit code and the tail of its output, which is what a person needs to see what went wrong.
 */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code === 0 || options.allowFailure) resolve(result);
      else reject(new Error(describeFailure(command, args, result)));
    });
    // A command that exits without reading its input closes the pipe first; that is no failure.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.input ?? '');
  });
}

function describeFailure(command: string, args: string[], result: RunResult): string {
  const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
  return `${command} ${args.join(' ')} exited with ${result.code}:\n${tail}`;
}
