import { type DeviceFaults, SimServer, SshTestDevice } from '@plumbline/devicesim';
import { afterEach } from 'vitest';
import type { CliSession } from '../CliSession.ts';
import { MemoryHostKeyStore } from '../HostKeyStore.ts';
import { type OpenCliSessionOptions, openCliSession } from '../openCliSession.ts';

export const testPassword = 'pw-Xq7!long-enough';
export const testPrompt = /^[\w.-]+(\(config\))?# ?$/;

export interface TestDeviceOptions {
  hostname?: string;
  faults?: DeviceFaults;
  legacy?: boolean;
  /** Serve `direct-tcpip`, so that the device can be a jump host. */
  jump?: boolean;
  authorizedKeys?: string[];
}

/**
 * SSH test devices (devicesim's `SshTestDevice` on a real SSH server) and sessions to them,
 * all closed after each test. Call once at the top of a test file.
 */
export function sessionFixtures() {
  const servers: SimServer[] = [];
  const sessions: CliSession[] = [];
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function startDevice(options: TestDeviceOptions = {}) {
    const faults = options.faults ?? {};
    const device = new SshTestDevice({ hostname: options.hostname ?? 'r1', faults });
    const server = new SimServer();
    servers.push(server);
    const endpoint = await server.add({
      device,
      username: 'admin',
      password: testPassword,
      faults,
      ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
      ...(options.jump === undefined ? {} : { allowForwarding: options.jump }),
      ...(options.authorizedKeys === undefined ? {} : { authorizedKeys: options.authorizedKeys }),
    });
    return { device, endpoint, faults };
  }

  /** Logs in to 127.0.0.1:`port` as `admin` with the test password unless `extra` says else. */
  async function open(port: number, extra: Partial<OpenCliSessionOptions> = {}) {
    const session = await openCliSession({
      host: '127.0.0.1',
      port,
      username: 'admin',
      ...(extra.privateKey === undefined ? { password: testPassword } : {}),
      hostKeyStore: new MemoryHostKeyStore(),
      promptPattern: testPrompt,
      pager: { pattern: / --More-- $/, response: ' ' },
      connectTimeoutMs: 10_000,
      commandTimeoutMs: 10_000,
      ...extra,
    });
    sessions.push(session);
    return session;
  }

  return { startDevice, open, onCleanup: (cleanup: () => unknown) => cleanups.push(cleanup) };
}
