import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import { DriverError } from './DriverError.ts';
import type { HostKeyStore } from './HostKeyStore.ts';
import { hostKeyFingerprint } from './hostKeyFingerprint.ts';
import { legacyClientAlgorithms } from './sshAlgorithms.ts';

// ssh2 is CommonJS without named exports Node can see: take them from the default export.
const { Client: SshClient } = ssh2;

export interface HopOptions {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
  hostKeyStore: HostKeyStore;
  legacyAlgorithms?: boolean;
  connectTimeoutMs: number;
  /** The tunnel through the previous hop, for a host behind jump hosts. */
  sock?: Duplex;
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
]);

/** Connects and logs in to one SSH server, with host-key pinning; errors are DriverErrors. */
export function connectHop(options: HopOptions): Promise<Client> {
  const device = `${options.host}:${options.port}`;
  const keyCheck: { mismatch?: { expected: string; actual: string }; storeError?: unknown } = {};
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let settled = false;
    const timer = setTimeout(() => {
      fail(
        new DriverError(
          'timeout',
          `${device}: no SSH login within ${options.connectTimeoutMs} ms`,
          {
            device,
          },
        ),
      );
    }, options.connectTimeoutMs);

    function fail(error: DriverError): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      reject(error);
    }

    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Every prompt gets the password: devices ask one `Password:` question at most.
      finish(prompts.map(() => options.password ?? ''));
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (error) => fail(toConnectError(error, device, keyCheck)));
    client.once('close', () =>
      fail(
        new DriverError('connection_lost', `${device}: connection closed during login`, { device }),
      ),
    );
    client.connect(connectConfig(options, keyCheck, device));
    // Commands and pager answers are a few bytes each; Nagle would delay every one of them.
    client.setNoDelay(true);
  });
}

function connectConfig(
  options: HopOptions,
  keyCheck: { mismatch?: { expected: string; actual: string }; storeError?: unknown },
  device: string,
): ConnectConfig {
  const config: ConnectConfig = {
    host: options.host,
    port: options.port,
    username: options.username,
    readyTimeout: options.connectTimeoutMs,
    tryKeyboard: options.password !== undefined,
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      pinHostKey(options.hostKeyStore, device, key, keyCheck).then(verify, (error: unknown) => {
        keyCheck.storeError = error;
        verify(false);
      });
    },
  };
  if (options.sock !== undefined) config.sock = options.sock;
  if (options.password !== undefined) config.password = options.password;
  if (options.privateKey !== undefined) config.privateKey = options.privateKey;
  if (options.passphrase !== undefined) config.passphrase = options.passphrase;
  if (options.legacyAlgorithms === true) config.algorithms = legacyClientAlgorithms;
  return config;
}

async function pinHostKey(
  store: HostKeyStore,
  device: string,
  key: Buffer,
  keyCheck: { mismatch?: { expected: string; actual: string } },
): Promise<boolean> {
  const actual = hostKeyFingerprint(key);
  const expected = await store.get(device);
  if (expected === undefined) {
    await store.set(device, actual);
    return true;
  }
  if (expected === actual) return true;
  keyCheck.mismatch = { expected, actual };
  return false;
}

function toConnectError(
  error: Error & { level?: string; code?: string },
  device: string,
  keyCheck: { mismatch?: { expected: string; actual: string }; storeError?: unknown },
): DriverError {
  if (keyCheck.mismatch !== undefined) {
    const { expected, actual } = keyCheck.mismatch;
    return new DriverError(
      'host_key_changed',
      `${device}: host key changed: expected ${expected}, found ${actual}. If the device was ` +
        'replaced or re-keyed, check the new key and remove the old one from the host key store.',
      { device, expectedFingerprint: expected, actualFingerprint: actual },
    );
  }
  if (keyCheck.storeError !== undefined) {
    const reason = keyCheck.storeError instanceof Error ? keyCheck.storeError.message : 'unknown';
    return new DriverError('protocol_error', `${device}: host key store failed: ${reason}`, {
      device,
    });
  }
  if (error.level === 'client-authentication') {
    return new DriverError(
      'auth_failed',
      `${device}: login refused (all authentication methods failed); check the credentials`,
      { device },
      { cause: error },
    );
  }
  if (error.level === 'client-timeout') {
    return new DriverError('timeout', `${device}: SSH handshake timed out`, { device });
  }
  if (error.code !== undefined && unreachableCodes.has(error.code)) {
    return new DriverError('unreachable', `${device}: ${error.code}: ${error.message}`, { device });
  }
  return new DriverError(
    'protocol_error',
    `${device}: SSH failed: ${error.message}`,
    { device },
    {
      cause: error,
    },
  );
}
