import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Logger } from '@plumbline/log';
import ssh2, { type Connection, type ServerConfig, type Session } from 'ssh2';
import type { DeviceFaults } from './DeviceFaults.ts';
import type { SimDevice, SimPlatform } from './SimDevice.ts';
import { authenticate } from './ssh/authenticate.ts';
import { ChannelWriter } from './ssh/ChannelWriter.ts';
import { forwardTcp } from './ssh/forwardTcp.ts';
import { legacySshAlgorithms, legacySshIdent } from './ssh/legacySshAlgorithms.ts';
import { runExec } from './ssh/runExec.ts';
import { ShellSession } from './ssh/ShellSession.ts';
import { generateHostKey, hostKeyFor, type SimHostKey } from './ssh/simHostKeys.ts';

// ssh2 is CommonJS without named exports Node can see: take them from the default export.
const { Server: SshServer } = ssh2;
type SshServer = InstanceType<typeof SshServer>;

export interface SimEndpointOptions {
  device: SimDevice;
  username: string;
  password: string;
  /** OpenSSH public key lines that may log in as `username`. */
  authorizedKeys?: readonly string[];
  /** 127.0.0.1 port; 0 (the default) picks a free one, reported in `SimEndpoint.port`. */
  port?: number;
  /** The same object the device was made with, so that tests can switch faults at run time. */
  faults: DeviceFaults;
  /** Identify as `SSH-2.0-Cisco-1.25` and offer only old algorithms (SHA-1 kex, CBC). */
  legacy?: boolean;
  /** Serve `direct-tcpip` to loopback, so that the endpoint can be a jump host. */
  allowForwarding?: boolean;
}

export interface SimEndpoint {
  readonly hostname: string;
  readonly platform: SimPlatform;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** The device's own key (not the one the changed-host-key fault serves). */
  readonly hostKeyFingerprint: string;
  readonly faults: DeviceFaults;
  readonly device: SimDevice;
  close(): Promise<void>;
}

/**
 * SSH servers for simulated devices, one 127.0.0.1 port each, all in this process. Each device
 * has its own credentials and host key. Logins get a shell (with pty: echo, line editing,
 * paging) or an exec channel, both over a fresh `DeviceCli` of the device.
 */
export class SimServer {
  private readonly endpoints = new Set<Endpoint>();
  private readonly logger: Logger | undefined;

  constructor(options: { logger?: Logger } = {}) {
    this.logger = options.logger;
  }

  async add(options: SimEndpointOptions): Promise<SimEndpoint> {
    const endpoint = new Endpoint(options, this.logger);
    await endpoint.listen(options.port ?? 0);
    this.endpoints.add(endpoint);
    endpoint.onClose = () => this.endpoints.delete(endpoint);
    return endpoint;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    await Promise.all([...this.endpoints].map((endpoint) => endpoint.close()));
  }
}

class Endpoint implements SimEndpoint {
  readonly hostname: string;
  readonly platform: SimPlatform;
  readonly username: string;
  readonly password: string;
  readonly hostKeyFingerprint: string;
  readonly faults: DeviceFaults;
  readonly device: SimDevice;
  onClose: (() => void) | undefined;

  private readonly listener: NetServer;
  private readonly sockets = new Set<Socket>();
  private readonly ssh: SshServer;
  private changedKeySsh: SshServer | undefined;
  private readonly logger: Logger | undefined;
  private actualPort = 0;

  constructor(
    private readonly options: SimEndpointOptions,
    parentLogger: Logger | undefined,
  ) {
    this.device = options.device;
    this.hostname = options.device.hostname;
    this.platform = options.device.platform;
    this.username = options.username;
    this.password = options.password;
    this.faults = options.faults;
    this.logger = parentLogger?.child({ device: this.hostname });
    const hostKey = hostKeyFor(this.hostname, options.legacy === true ? 'rsa' : 'ed25519');
    this.hostKeyFingerprint = hostKey.fingerprint;
    this.ssh = this.makeSshServer(hostKey);
    this.listener = createServer((socket) => this.accept(socket));
  }

  get port(): number {
    return this.actualPort;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen({ host: '127.0.0.1', port }, () => {
        this.listener.off('error', reject);
        const address = this.listener.address();
        if (address !== null && typeof address === 'object') this.actualPort = address.port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.onClose?.();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.listener.close(() => resolve()));
  }

  /** Picks the server by the faults as they are now, so a test can switch keys between logins. */
  private accept(socket: Socket): void {
    this.sockets.add(socket);
    // Prompts and echoes are small writes; Nagle would hold each one for a round trip.
    socket.setNoDelay(true);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', (error) => this.logger?.debug({ err: error }, 'socket error'));
    const server = this.faults.changeHostKey === true ? this.changedKeyServer() : this.ssh;
    server.injectSocket(socket);
  }

  /** One replacement key per endpoint: every login during the fault sees the same new key. */
  private changedKeyServer(): SshServer {
    this.changedKeySsh ??= this.makeSshServer(
      generateHostKey(this.options.legacy === true ? 'rsa' : 'ed25519'),
    );
    return this.changedKeySsh;
  }

  private makeSshServer(hostKey: SimHostKey): SshServer {
    const config: ServerConfig = { hostKeys: [hostKey.privateKey] };
    if (this.options.legacy === true) {
      config.ident = legacySshIdent;
      config.algorithms = legacySshAlgorithms;
    }
    return new SshServer(config, (connection) => this.serve(connection));
  }

  private serve(connection: Connection): void {
    const credentials = {
      username: this.username,
      password: this.password,
      authorizedKeys: this.options.authorizedKeys ?? [],
    };
    let username = '';
    let attempts = 0;
    connection.on('error', (error) => this.logger?.debug({ err: error }, 'connection error'));
    connection.on('authentication', (ctx) => {
      attempts += 1;
      // Real devices drop the connection after a few failed tries; so do we.
      if (attempts > 10) return connection.end();
      username = ctx.username;
      authenticate(ctx, credentials, this.faults);
    });
    connection.on('ready', () => {
      this.logger?.debug({ username }, 'login');
      const drop = () => dropConnection(connection);
      connection.on('session', (accept) => this.serveSession(accept(), username, drop));
      if (this.options.allowForwarding === true) connection.on('tcpip', forwardTcp);
    });
  }

  private serveSession(session: Session, username: string, dropConnection: () => void): void {
    let pty = false;
    session.on('pty', (accept) => {
      pty = true;
      accept?.();
    });
    session.on('window-change', (accept) => accept?.());
    session.on('env', (accept) => accept?.());
    session.on('shell', (accept) => {
      const channel = accept();
      const writer = new ChannelWriter(channel, this.faults);
      const shell = new ShellSession({
        cli: this.device.openSession(username),
        writer,
        faults: this.faults,
        dropConnection,
        endSession: () => {
          channel.exit(0);
          channel.end();
        },
        ...(this.logger === undefined ? {} : { logger: this.logger }),
      });
      channel.on('data', (data: Buffer) => shell.receive(data.toString('latin1')));
      channel.once('close', () => shell.end());
      void shell.run().catch((error: unknown) => {
        this.logger?.warn({ err: error }, 'shell session failed');
        channel.close();
      });
    });
    session.on('exec', (accept, _reject, info) => {
      const channel = accept();
      const writer = new ChannelWriter(channel, this.faults);
      void runExec({
        cli: this.device.openSession(username),
        command: info.command,
        writer,
        faults: this.faults,
        pty,
        dropConnection,
        ...(this.logger === undefined ? {} : { logger: this.logger }),
      })
        .then((status) => {
          if (status === undefined || !writer.isOpen) return;
          channel.exit(status);
          channel.end();
        })
        .catch((error: unknown) => {
          this.logger?.warn({ err: error }, 'exec failed');
          channel.close();
        });
    });
  }
}

/**
 * Tears down the TCP connection under an SSH connection without a disconnect message, as a
 * device that reboots or a link that fails. ssh2 keeps the socket in `_sock` (1.17); without it
 * the connection is ended politely instead.
 */
function dropConnection(connection: Connection): void {
  const socket = (connection as unknown as { _sock?: Socket })._sock;
  if (socket !== undefined) socket.destroy();
  else connection.end();
}
