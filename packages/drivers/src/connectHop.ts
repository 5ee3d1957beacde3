import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ConnectConfig, type NegotiatedAlgorithms } from 'ssh2';
import type { SshAlgorithms } from './CliSession.ts';
import { DriverError } from './DriverError.ts';
import type { DriverTimers } from './DriverTimers.ts';
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
  timers: DriverTimers;
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
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
]);

export interface Hop {
  client: Client;
  algorithms: SshAlgorithms;
}

/**
 * Connects and logs in to one SSH server, with host-key pinning; errors are DriverErrors. The
 * deadline covers TCP connect, handshake and authentication, and is this function's own
 * (ssh2's `readyTimeout` is off) so that tests can pass it on a manual clock.
 */
export function connectHop(options: HopOptions): Promise<Hop> {
  const device = `${options.host}:${options.port}`;
  const keyCheck: KeyCheck = {};
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let settled = false;
    let algorithms: SshAlgorithms | undefined;
    const deadline = options.timers.setTimeout(() => {
      fail(
        new DriverError(
          'timeout',
          `${device}: no SSH login within ${options.connectTimeoutMs} ms; check that the` +
            ' address is an SSH server and that nothing between drops the connection',
          { device },
        ),
      );
    }, options.connectTimeoutMs);

    function fail(error: DriverError): void {
      if (settled) return;
      settled = true;
      deadline.cancel();
      // destroy, not end: a peer that never spoke SSH would never answer a polite close.
      client.destroy();
      reject(error);
    }

    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Every prompt gets the password: devices ask one `Password:` question at most.
      finish(prompts.map(() => options.password ?? ''));
    });
    client.on('handshake', (negotiated) => {
      algorithms = clientToServer(negotiated);
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      resolve({ client, algorithms: algorithms ?? unknownAlgorithms });
    });
    client.on('error', (error) => fail(toConnectError(error, device, keyCheck)));
    client.once('close', () =>
      fail(
        new DriverError('connection_lost', `${device}: connection closed during login`, { device }),
      ),
    );
    try {
      client.connect(connectConfig(options, keyCheck, device));
    } catch (error) {
      // ssh2 parses the private key before dialling and throws if it cannot.
      const reason = error instanceof Error ? error.message : 'unknown error';
      fail(
        new DriverError(
          'auth_failed',
          `${device}: the private key could not be read (${reason}); check the key and passphrase`,
          { device },
        ),
      );
      return;
    }
    // Commands and pager answers are a few bytes each; Nagle would delay every one of them.
    client.setNoDelay(true);
  });
}

interface KeyCheck {
  mismatch?: { expected: string; actual: string };
  storeError?: unknown;
}

const unknownAlgorithms: SshAlgorithms = {
  kex: 'unknown',
  serverHostKey: 'unknown',
  cipher: 'unknown',
  mac: 'unknown',
};

function clientToServer(negotiated: NegotiatedAlgorithms): SshAlgorithms {
  return {
    kex: negotiated.kex,
    serverHostKey: negotiated.serverHostKey,
    cipher: negotiated.cs.cipher,
    // AEAD ciphers (AES-GCM, chacha20-poly1305) carry their own MAC; ssh2 reports it empty.
    mac: negotiated.cs.mac === '' ? 'implicit' : negotiated.cs.mac,
  };
}

function connectConfig(options: HopOptions, keyCheck: KeyCheck, device: string): ConnectConfig {
  const config: ConnectConfig = {
    host: options.host,
    port: options.port,
    username: options.username,
    readyTimeout: 0,
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
  keyCheck: KeyCheck,
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
  keyCheck: KeyCheck,
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
