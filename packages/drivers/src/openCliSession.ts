import type { Duplex } from 'node:stream';
import type { Logger } from '@plumbline/log';
import type { Client, ClientChannel } from 'ssh2';
import type { CliSession } from './CliSession.ts';
import { connectHop } from './connectHop.ts';
import { DriverError } from './DriverError.ts';
import { type DriverTimers, realTimers } from './DriverTimers.ts';
import type { HostKeyStore } from './HostKeyStore.ts';
import { SshCliSession } from './SshCliSession.ts';
import { withDeadline } from './withDeadline.ts';

export interface SshCredentials {
  username: string;
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string | Buffer;
  passphrase?: string;
}

/** One SSH server on the way to the device; its host key is pinned like the device's. */
export interface JumpHost extends SshCredentials {
  host: string;
  port: number;
}

export interface OpenCliSessionOptions extends SshCredentials {
  host: string;
  port: number;
  hostKeyStore: HostKeyStore;
  /** The prompt in every mode the driver uses, matched at the end of the output. */
  promptPattern: RegExp;
  /** A pager prompt and the keystroke that answers it. */
  pager?: { pattern: RegExp; response: string };
  /** Hops in order: the first is dialled directly, each next one through the previous. */
  jumpHosts?: readonly JumpHost[];
  /** SHA-1 key exchange and CBC ciphers for old IOS. */
  legacyAlgorithms?: boolean;
  /** Per hop, TCP connect to logged in; default 15 s. */
  connectTimeoutMs?: number;
  /** Default for each command; default 30 s. */
  commandTimeoutMs?: number;
  /** Output of one command, after ANSI stripping; default 16 MiB. */
  maxOutputBytes?: number;
  /** Pager prompts answered for one command before giving up; default 10000. */
  maxPages?: number;
  logger?: Logger;
  /** Connect and command deadlines; tests pass a manual clock. */
  timers?: DriverTimers;
}

export const defaultConnectTimeoutMs = 15_000;
export const defaultCommandTimeoutMs = 30_000;
export const defaultMaxOutputBytes = 16 * 1024 * 1024;
export const defaultMaxPages = 10_000;

/**
 * Logs in to a device over SSH (through jump hosts if given), opens a shell with a wide pty
 * and waits for the first prompt. The result has not been prepared (paging is still as the
 * device has it); `connectDevice` does that through the platform's driver.
 */
export async function openCliSession(options: OpenCliSessionOptions): Promise<CliSession> {
  const connectTimeoutMs = options.connectTimeoutMs ?? defaultConnectTimeoutMs;
  const timers = options.timers ?? realTimers;
  const clients: Client[] = [];
  try {
    let sock: Duplex | undefined;
    const hops = options.jumpHosts ?? [];
    for (const [index, hop] of hops.entries()) {
      const { client } = await connectHop({
        ...credentialsOf(hop),
        host: hop.host,
        port: hop.port,
        hostKeyStore: options.hostKeyStore,
        connectTimeoutMs,
        timers,
        ...(sock === undefined ? {} : { sock }),
      });
      clients.unshift(client);
      const next = hops[index + 1] ?? options;
      const target = `${next.host}:${next.port}`;
      sock = await withDeadline(
        forwardTo(client, next.host, next.port, `${hop.host}:${hop.port}`),
        {
          timers,
          timeoutMs: connectTimeoutMs,
          late: () =>
            new DriverError(
              'timeout',
              `${target}: jump host ${hop.host}:${hop.port} did not open a tunnel to it within` +
                ` ${connectTimeoutMs} ms`,
              { device: target },
            ),
        },
        (late) => late.destroy(),
      );
    }
    const device = `${options.host}:${options.port}`;
    const { client: deviceClient, algorithms } = await connectHop({
      ...credentialsOf(options),
      host: options.host,
      port: options.port,
      hostKeyStore: options.hostKeyStore,
      connectTimeoutMs,
      timers,
      ...(options.legacyAlgorithms === undefined
        ? {}
        : { legacyAlgorithms: options.legacyAlgorithms }),
      ...(sock === undefined ? {} : { sock }),
    });
    clients.unshift(deviceClient);
    options.logger?.debug({ device, ...algorithms }, 'ssh connected');
    const channel = await withDeadline(
      openShell(deviceClient, device),
      {
        timers,
        timeoutMs: connectTimeoutMs,
        late: () =>
          new DriverError('timeout', `${device}: no shell within ${connectTimeoutMs} ms`, {
            device,
          }),
      },
      (late) => late.close(),
    );
    const session = new SshCliSession({
      device,
      channel,
      clients,
      algorithms,
      timers,
      promptPattern: options.promptPattern,
      commandTimeoutMs: options.commandTimeoutMs ?? defaultCommandTimeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? defaultMaxOutputBytes,
      maxPages: options.maxPages ?? defaultMaxPages,
      ...(options.pager === undefined ? {} : { pager: options.pager }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    await session.readUntil(options.promptPattern, { timeoutMs: connectTimeoutMs });
    return session;
  } catch (error) {
    // destroy, not end: a hop that stopped answering would never finish a polite close.
    for (const client of clients) client.destroy();
    throw error;
  }
}

function credentialsOf(options: SshCredentials): SshCredentials {
  const credentials: SshCredentials = { username: options.username };
  if (options.password !== undefined) credentials.password = options.password;
  if (options.privateKey !== undefined) credentials.privateKey = options.privateKey;
  if (options.passphrase !== undefined) credentials.passphrase = options.passphrase;
  return credentials;
}

function forwardTo(client: Client, host: string, port: number, hop: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => {
      if (error === undefined || error === null) return resolve(stream);
      reject(
        new DriverError(
          'unreachable',
          `${host}:${port}: jump host ${hop} could not reach it: ` + `${error.message}`,
          { device: `${host}:${port}` },
        ),
      );
    });
  });
}

function openShell(client: Client, device: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.shell({ term: 'vt100', cols: 511, rows: 1000 }, (error, channel) => {
      if (error === undefined || error === null) return resolve(channel);
      reject(
        new DriverError('protocol_error', `${device}: shell refused: ${error.message}`, { device }),
      );
    });
  });
}
