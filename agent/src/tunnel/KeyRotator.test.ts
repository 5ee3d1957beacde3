import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIdentity } from '../identity/readIdentity.ts';
import { AgentTestBed } from '../testing/agentTestBed.ts';

let bed: AgentTestBed;

beforeEach(async () => {
  bed = await AgentTestBed.start();
});

afterEach(async () => {
  await bed.dispose();
});

async function connected(options: Parameters<AgentTestBed['startAgent']>[0] = {}) {
  const connecting = bed.peer.nextConnection();
  const started = await bed.startAgent({ timers: { random: () => 0 }, ...options });
  const connection = await connecting;
  await started.agent.whenConnected();
  return { ...started, connection };
}

describe('key rotation', () => {
  it('sends a new key signed by both keys, stores it atomically on key.rotated, and signs in with it next time', async () => {
    const { stateDir, connection, agent, logs } = await connected();
    const oldKey = readIdentity(stateDir).keyPair.publicKey;

    connection.send({ type: 'key.rotate.request' });
    const rotate = await connection.waitFor('key.rotate');
    await logs.waitFor('key rotated');

    const identity = readIdentity(stateDir);
    expect(identity.keyPair.publicKey).toBe(rotate.newPublicKey);
    expect(identity.keyPair.publicKey).not.toBe(oldKey);
    expect(identity.pendingKeyPair).toBeUndefined();
    expect(statSync(join(stateDir, 'identity.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // The fake cloud checked both signatures before it answered key.rotated.
    expect(connection.framesOf('key.rotate')).toHaveLength(1);

    const next = bed.peer.nextConnection();
    connection.terminate();
    const auth = await (await next).authenticated;
    expect(auth.publicKey).toBe(rotate.newPublicKey);
    await agent.whenConnected();
  });

  it('keeps the new key pending until confirmed, and tries it when the old one is refused', async () => {
    bed.peer.confirmRotation = false;
    const { stateDir, connection, agent, logs } = await connected();
    const oldKey = readIdentity(stateDir).keyPair.publicKey;
    connection.send({ type: 'key.rotate.request' });
    const rotate = await connection.waitFor('key.rotate');
    await connection.sync();
    const pending = readIdentity(stateDir);
    expect(pending.keyPair.publicKey).toBe(oldKey);
    expect(pending.pendingKeyPair?.publicKey).toBe(rotate.newPublicKey);

    // The cloud switched keys but the link fell before it could confirm.
    const refused = bed.peer.nextConnection();
    connection.terminate();
    expect((await (await refused).closed).reason).toBe('unknown_agent');
    await logs.waitFor('the current key was refused and a rotation was pending');
    const accepted = bed.peer.nextConnection();
    expect((await (await accepted).authenticated).publicKey).toBe(rotate.newPublicKey);
    await agent.whenConnected();
    expect(readIdentity(stateDir).keyPair.publicKey).toBe(rotate.newPublicKey);
  });

  it('drops the pending key when the cloud refuses the rotation', async () => {
    const { stateDir, connection, logs } = await connected();
    const before = readFileSync(join(stateDir, 'identity.json'), 'utf8');
    connection.send({
      type: 'key.rotate.refused',
      error: { code: 'rotation_disabled', message: 'not now' },
    });
    await logs.waitFor('key rotation refused');
    expect(JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8'))).toEqual(
      JSON.parse(before),
    );
  });
});
