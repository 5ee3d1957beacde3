import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/plumbline-cloud', import.meta.url));

describe('plumbline-cloud command line', { timeout: 60_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plumbline-cli-'));
    env = { ...process.env, PLUMBLINE_DATA_DIR: dataDir, PLUMBLINE_PORT: '0', LOG_LEVEL: 'info' };
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  function run(args: string[], stdin?: string, extraEnv: NodeJS.ProcessEnv = {}) {
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(bin, args, { env: { ...env, ...extraEnv } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  }

  it('bootstraps a tenant, a user and a token that the served API accepts', async () => {
    const tenant = await run([
      'admin',
      'create-tenant',
      '--slug',
      'acme',
      '--name',
      'Acme Networks',
    ]);
    expect(tenant).toMatchObject({ code: 0, stderr: 'created tenant "acme" (Acme Networks)\n' });
    expect(statSync(join(dataDir, 'plumbline.db')).isFile()).toBe(true);

    const user = await run(
      [
        'admin',
        'create-user',
        '--email',
        'NOC@acme.test',
        '--name',
        'NOC',
        '--password-stdin',
        '--tenant',
        'acme',
        '--role',
        'admin',
      ],
      'a long enough password\n',
    );
    expect(user.code).toBe(0);
    expect(user.stderr).toBe(
      'created user noc@acme.test\nadded noc@acme.test to tenant "acme" as admin\n',
    );

    const token = await run([
      'admin',
      'create-token',
      '--tenant',
      'acme',
      '--user',
      'noc@acme.test',
      '--name',
      'automation',
      '--expires-in-days',
      '7',
    ]);
    expect(token.code).toBe(0);
    const secret = token.stdout.trim();
    expect(secret).toMatch(/^plb_/);
    expect(token.stderr).toContain('It is shown once');

    const server = spawn(bin, ['serve'], { env });
    children.push(server);
    const lines = createInterface({ input: server.stdout });
    let url = '';
    for await (const line of lines) {
      const event = JSON.parse(line) as { msg: string; url?: string };
      if (event.msg === 'cloud listening' && event.url) {
        url = event.url;
        break;
      }
    }
    const me = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(await me.json()).toMatchObject({
      user: { email: 'noc@acme.test' },
      tenants: [{ slug: 'acme', displayName: 'Acme Networks', role: 'admin' }],
    });

    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says what is wrong and exits non-zero on bad input, changing nothing', async () => {
    const badSlug = await run(['admin', 'create-tenant', '--slug', 'Not OK', '--name', 'x']);
    expect(badSlug.code).toBe(1);
    expect(badSlug.stderr).toMatch(/^plumbline-cloud: slug: a tenant slug is 1 to 40 lowercase/);

    const missing = await run(['admin', 'create-token', '--tenant', 'acme']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^plumbline-cloud: missing --user, --name/);

    const twice = await run(['admin', 'create-tenant', '--slug', 'acme', '--name', 'Again']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe('plumbline-cloud: a tenant with slug "acme" already exists\n');

    const badConfig = await run(['serve'], undefined, { PLUMBLINE_PORT: '70000' });
    expect(badConfig.code).toBe(78);
    expect(badConfig.stderr).toMatch(/^plumbline-cloud: configuration: PLUMBLINE_PORT="70000"/);
  });
});
