import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@plumbline/proto';
import type { AgentIdentity } from '../identity/AgentIdentity.ts';
import { writeIdentity } from '../identity/writeIdentity.ts';
import { type FakeCloudPeer, fakeTenant } from './fakeCloudPeer.ts';

/** A temporary state directory holding an identity the peer knows, as enrollment leaves it. */
export function enrolledStateDir(peer: FakeCloudPeer, cloudUrl = peer.url) {
  const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-agent-'));
  const keyPair = generateSigningKeyPair();
  const agentId = peer.registerAgent(keyPair.publicKey);
  const identity: AgentIdentity = {
    version: 1,
    agentId,
    ...fakeTenant,
    cloudUrl,
    name: 'test-agent',
    keyPair,
    cloudSigningPublicKey: peer.signingKeys.publicKey,
    enrolledAtMs: Date.now(),
  };
  writeIdentity(stateDir, identity);
  return { stateDir, identity, agentId };
}
