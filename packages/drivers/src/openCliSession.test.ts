import { generateSshKeyPair } from '@plumbline/devicesim';
import { describe, expect, it } from 'vitest';
import { failureOf } from './testing/failureOf.ts';
import { sessionFixtures, testPassword } from './testing/sessionFixtures.ts';

const { startDevice, open } = sessionFixtures();

describe('openCliSession', () => {
  it('returns the output between the echoed command and the prompt, with \\n endings', async () => {
    const { endpoint } = await startDevice();
    const session = await open(endpoint.port);
    expect(await session.send('echo hello world')).toBe('hello world\n');
    expect(await session.send('show running-config')).toBe(
      'Building configuration...\n\nhostname r1\nend\n',
    );
    expect(session.device).toBe(`127.0.0.1:${endpoint.port}`);
  });

  it('answers pager prompts and returns the pages joined without the pager text', async () => {
    const { endpoint } = await startDevice();
    const session = await open(endpoint.port);
    await session.send('terminal length 5');
    const output = await session.send('lines 23');
    const expected = Array.from({ length: 23 }, (_, i) => `line ${i + 1} of 23`).join('\n');
    expect(output).toBe(`${expected}\n`);
  });

  it('follows a changed prompt in config mode', async () => {
    const { endpoint, device } = await startDevice();
    const session = await open(endpoint.port);
    await session.send('configure terminal');
    await session.send('ip name-server 192.0.2.53');
    await session.send('end');
    expect(device.runningConfig()).toContain('ip name-server 192.0.2.53');
  });

  it('logs in with a private key', async () => {
    const pair = generateSshKeyPair();
    const { endpoint } = await startDevice({ authorizedKeys: [pair.public] });
    const session = await open(endpoint.port, { privateKey: pair.private });
    expect(await session.send('echo by key')).toBe('by key\n');
  });

  it('refuses wrong credentials with auth_failed', async () => {
    const { endpoint } = await startDevice();
    const error = await failureOf(open(endpoint.port, { password: 'wrong' }));
    expect(error.code).toBe('auth_failed');
    expect(error.message).toContain(`127.0.0.1:${endpoint.port}`);
    expect(error.message).not.toContain('wrong');
    expect(error.message).not.toContain(testPassword);
  });

  it('reports a closed port as unreachable', async () => {
    const { endpoint } = await startDevice();
    const port = endpoint.port;
    await endpoint.close();
    const error = await failureOf(open(port));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
