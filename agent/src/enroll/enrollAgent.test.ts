import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentError } from '../AgentError.ts';
import { readIdentity } from '../identity/readIdentity.ts';
import { FakeCloudPeer } from '../testing/fakeCloudPeer.ts';
import { selfSignedCertificate } from '../testing/selfSignedCertificate.ts';
import { enrollAgent } from './enrollAgent.ts';

let peer: FakeCloudPeer;
let stateDir: string;

beforeEach(async () => {
  peer = await FakeCloudPeer.start();
  stateDir = join(mkdtempSync(join(tmpdir(), 'plumbline-enroll-')), 'state');
});

afterEach(async () => {
  await peer.close();
});

async function refusal(promise: Promise<unknown>): Promise<AgentError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

describe('enrollAgent', () => {
  it('registers a new key and writes the identity 0600 in a 0700 directory', async () => {
    peer.addToken('t-1');
    const enrolled = await enrollAgent({
      cloudUrl: `${peer.url}/`,
      token: 't-1',
      stateDir,
      name: 'branch-7',
      env: {},
    });
    expect(statSync(join(stateDir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    const identity = readIdentity(stateDir);
    expect(identity).toMatchObject({
      agentId: enrolled.agentId,
      tenantId: 'tenant-1',
      tenantSlug: 'acme',
      cloudUrl: peer.url,
      name: 'branch-7',
      cloudSigningPublicKey: peer.signingKeys.publicKey,
    });
    expect(identity.keyPair.publicKey).toBe(enrolled.publicKey);
    expect(JSON.stringify(enrolled)).not.toContain(identity.keyPair.secretKey);
  });

  it('refuses to overwrite an identity without force, before spending the token', async () => {
    peer.addToken('t-1');
    peer.addToken('t-2');
    await enrollAgent({ cloudUrl: peer.url, token: 't-1', stateDir, env: {} });
    const before = readFileSync(join(stateDir, 'identity.json'), 'utf8');
    const error = await refusal(
      enrollAgent({ cloudUrl: peer.url, token: 't-2', stateDir, env: {} }),
    );
    expect(error.code).toBe('identity_exists');
    expect(error.message).toContain('--force');
    expect(peer.enrollRequests).toBe(1);
    expect(readFileSync(join(stateDir, 'identity.json'), 'utf8')).toBe(before);

    const forced = await enrollAgent({
      cloudUrl: peer.url,
      token: 't-2',
      stateDir,
      force: true,
      env: {},
    });
    expect(readIdentity(stateDir).agentId).toBe(forced.agentId);
  });

  it('says a used, expired or unknown token was refused and what to do', async () => {
    peer.addToken('used', 'used');
    peer.addToken('old', 'expired');
    for (const token of ['used', 'old', 'never-made']) {
      const error = await refusal(enrollAgent({ cloudUrl: peer.url, token, stateDir, env: {} }));
      expect(error.code).toBe('token_refused');
      expect(error.message).toContain('ask a tenant admin for a new one');
    }
    const used = await refusal(
      enrollAgent({ cloudUrl: peer.url, token: 'used', stateDir, env: {} }),
    );
    expect(used.message).toContain('token_used');
  });

  it('says the cloud cannot be reached', async () => {
    await peer.close();
    const error = await refusal(enrollAgent({ cloudUrl: peer.url, token: 't', stateDir, env: {} }));
    expect(error.code).toBe('cloud_unreachable');
    expect(error.message).toContain('ECONNREFUSED');
    peer = await FakeCloudPeer.start();
  });

  it('refuses a --cloud that is not an http(s) URL', async () => {
    const error = await refusal(
      enrollAgent({ cloudUrl: 'ftp://x', token: 't', stateDir, env: {} }),
    );
    expect(error.code).toBe('bad_cloud_url');
  });

  it('fails TLS to an untrusted certificate with a hint, and enrolls with --ca-file', async () => {
    const tls = selfSignedCertificate();
    const secure = await FakeCloudPeer.start({ tls });
    try {
      secure.addToken('t-1');
      const error = await refusal(
        enrollAgent({ cloudUrl: secure.url, token: 't-1', stateDir, env: {} }),
      );
      expect(error.code).toBe('tls_failed');
      expect(error.message).toContain('--ca-file');
      const enrolled = await enrollAgent({
        cloudUrl: secure.url,
        token: 't-1',
        stateDir,
        caFile: tls.caFile,
        env: {},
      });
      expect(enrolled.tenantSlug).toBe('acme');
    } finally {
      await secure.close();
    }
  });
});
