import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@plumbline/proto';
import { describe, expect, it } from 'vitest';
import type { AgentIdentity } from './AgentIdentity.ts';
import { readIdentity } from './readIdentity.ts';
import { writeIdentity } from './writeIdentity.ts';

const identity = (): AgentIdentity => ({
  version: 1,
  agentId: 'agent-1',
  tenantId: 'tenant-1',
  tenantSlug: 'acme',
  cloudUrl: 'https://cloud.example.com',
  name: 'edge',
  keyPair: generateSigningKeyPair(),
  cloudSigningPublicKey: generateSigningKeyPair().publicKey,
  enrolledAtMs: 1,
});

function stateDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'plumbline-identity-')), 'state');
}

describe('the identity file', () => {
  it('is replaced whole, 0600, leaving no temporary file behind', () => {
    const dir = stateDir();
    writeIdentity(dir, identity());
    const next = identity();
    writeIdentity(dir, next);
    expect(readIdentity(dir)).toEqual(next);
    expect(statSync(join(dir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['identity.json']);
  });

  it('says to enroll first when there is none', () => {
    expect(() => readIdentity(stateDir())).toThrow(/run "plumbline-agent enroll/);
  });

  it('refuses a damaged file and names what is wrong', () => {
    const dir = stateDir();
    writeIdentity(dir, identity());
    writeFileSync(join(dir, 'identity.json'), '{"version":1,"agentId":""}');
    expect(() => readIdentity(dir)).toThrow(
      expect.objectContaining({
        code: 'identity_invalid',
        message: expect.stringContaining('agentId'),
      }),
    );
    writeFileSync(join(dir, 'identity.json'), 'not json');
    expect(() => readIdentity(dir)).toThrow(expect.objectContaining({ code: 'identity_invalid' }));
  });
});
