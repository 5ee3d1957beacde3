import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaFileError } from './CaFileError.ts';
import { upstreamFetch } from './upstreamFetch.ts';

let dir: string;
let server: Server;
let url: string;

/** A private CA and a certificate for 127.0.0.1 it signed, made with openssl for this run. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=plumbline test CA',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumbline-ca-'));
  makeCertificates();
  server = createServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) },
    (_request, response) => response.end('trusted'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('upstreamFetch', () => {
  it('trusts a target signed by the extra CA bundle', async () => {
    const response = await upstreamFetch(join(dir, 'ca.pem'))(url);

    expect(await response.text()).toBe('trusted');
  });

  it('refuses the same target without the bundle, with a certificate error code', async () => {
    const error = await upstreamFetch(undefined)(url).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('names a CA file that cannot be read, or holds no certificate', () => {
    const missing = join(dir, 'missing.pem');
    writeFileSync(join(dir, 'empty.pem'), 'not a certificate\n');

    expect(() => upstreamFetch(missing)).toThrow(CaFileError);
    expect(() => upstreamFetch(missing)).toThrow(`${missing} cannot be read (ENOENT)`);
    expect(() => upstreamFetch(join(dir, 'empty.pem'))).toThrow('holds no PEM certificate');
  });
});
