import { createServer, type Socket } from 'node:net';
import { generateSshKeyPair } from '@plumbline/devicesim';
import ssh2, { type AuthContext, type ServerChannel } from 'ssh2';

// ssh2 is CommonJS without named exports Node can see: take them from the default export.
const { Server: SshServer } = ssh2;

export interface ScriptedSshServerOptions {
  /** The only methods offered; a real cEOS or Junos box may offer keyboard-interactive alone. */
  authMethods: readonly ('password' | 'keyboard-interactive')[];
  password: string;
  /** The keyboard-interactive question, e.g. cEOS's `(admin@spine_1) Password: `. */
  keyboardPrompt?: string;
  /** Printed once after login; the prompt follows. */
  greeting: string;
  prompt: string;
  /** Never answers the shell request, as a device whose CLI process has hung. */
  ignoreShellRequests?: boolean;
  /** Answers one entered line through `write`; no call to `done` means the line hangs. */
  answer(line: string, write: (text: string) => boolean, done: () => void): void;
}

export interface ScriptedSshServer {
  port: number;
  /** The method each successful login used, in order. */
  readonly loginMethods: string[];
  close(): Promise<void>;
}

/**
 * A bare ssh2 server with a scripted shell, for what the device simulators do not offer:
 * keyboard-interactive as the only login method, and output no vendor would print (a
 * stream of escape sequences). Lines end at `\r` or `\n`; the whole line is echoed then.
 */
export async function startScriptedSshServer(
  options: ScriptedSshServerOptions,
): Promise<ScriptedSshServer> {
  const loginMethods: string[] = [];
  const sockets = new Set<Socket>();
  const server = new SshServer({ hostKeys: [generateSshKeyPair().private] }, (connection) => {
    connection.on('error', () => undefined);
    connection.on('authentication', (ctx) => authenticate(ctx, options, loginMethods));
    connection.on('ready', () => {
      connection.on('session', (accept) => {
        const session = accept();
        session.on('pty', (ok) => ok?.());
        session.on('shell', (ok) => {
          if (options.ignoreShellRequests !== true) serveShell(ok(), options);
        });
      });
    });
  });
  const listener = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    server.injectSocket(socket);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
  const address = listener.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    loginMethods,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => listener.close(() => resolve()));
    },
  };
}

function authenticate(
  ctx: AuthContext,
  options: ScriptedSshServerOptions,
  loginMethods: string[],
): void {
  const offered = [...options.authMethods];
  const succeed = () => {
    loginMethods.push(ctx.method);
    ctx.accept();
  };
  if (ctx.method === 'password' && offered.includes('password')) {
    if (ctx.password === options.password) succeed();
    else ctx.reject(offered);
  } else if (ctx.method === 'keyboard-interactive' && offered.includes('keyboard-interactive')) {
    const prompt = options.keyboardPrompt ?? 'Password: ';
    ctx.prompt([{ prompt, echo: false }], (answers) => {
      if (answers[0] === options.password) succeed();
      else ctx.reject(offered);
    });
  } else {
    ctx.reject(offered);
  }
}

function serveShell(channel: ServerChannel, options: ScriptedSshServerOptions): void {
  const write = (text: string) => channel.write(text);
  write(`${options.greeting}${options.prompt}`);
  let line = '';
  let busy = false;
  channel.on('data', (data: Buffer) => {
    for (const char of data.toString('utf8')) {
      if (char !== '\r' && char !== '\n') {
        line += char;
        continue;
      }
      if (busy) continue;
      const entered = line;
      line = '';
      busy = true;
      write(`${entered}\r\n`);
      options.answer(entered, write, () => {
        busy = false;
        write(options.prompt);
      });
    }
  });
  channel.on('error', () => undefined);
}
