import {
  type DeviceFaults,
  generateSshKeyPair,
  SimServer,
  SshTestDevice,
} from '@plumbline/devicesim';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliSession } from './CliSession.ts';
import { isDriverError } from './DriverError.ts';
import { MemoryHostKeyStore } from './HostKeyStore.ts';
import { type OpenCliSessionOptions, openCliSession } from './openCliSession.ts';

const servers: SimServer[] = [];
const sessions: CliSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const prompt = /^[\w.-]+(\(config\))?# ?$/;
const pager = { pattern: / --More-- $/, response: ' ' };

async function startDevice(
  options: {
    hostname?: string;
    faults?: DeviceFaults;
    legacy?: boolean;
    forwarding?: boolean;
    authorizedKeys?: string[];
  } = {},
) {
  const faults = options.faults ?? {};
  const device = new SshTestDevice({ hostname: options.hostname ?? 'r1', faults });
  const server = new SimServer();
  servers.push(server);
  const endpoint = await server.add({
    device,
    username: 'admin',
    password: 'pw-1',
    faults,
    ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
    ...(options.forwarding === undefined ? {} : { allowForwarding: options.forwarding }),
    ...(options.authorizedKeys === undefined ? {} : { authorizedKeys: options.authorizedKeys }),
  });
  return { device, endpoint, faults };
}

async function open(port: number, extra: Partial<OpenCliSessionOptions> = {}) {
  const session = await openCliSession({
    host: '127.0.0.1',
    port,
    username: 'admin',
    ...(extra.privateKey === undefined ? { password: 'pw-1' } : {}),
    hostKeyStore: new MemoryHostKeyStore(),
    promptPattern: prompt,
    pager,
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 10_000,
    ...extra,
  });
  sessions.push(session);
  return session;
}

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDriverError(error)) return error;
    throw error;
  }
  throw new Error('expected a DriverError');
}

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
  });

  it('reports a closed port as unreachable', async () => {
    const { endpoint } = await startDevice();
    const port = endpoint.port;
    await endpoint.close();
    const error = await failureOf(open(port));
    expect(error.code).toBe('unreachable');
  });
});
