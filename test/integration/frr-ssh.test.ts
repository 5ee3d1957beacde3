import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetFrr } from '../lab/frr.js';
import { type FrrLabState, readLabState } from '../lab/state.js';

const PROMPT = /(?:^|\n)lab-frr1(?:\([\w-]+\))?# $/;
const READ_TIMEOUT_MS = 10_000;

let lab: FrrLabState;

beforeAll(async () => {
  lab = readLabState().frr;
  await resetFrr();
});

/** The key's fingerprint in the `SHA256:…` form ssh-keygen prints. */
function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

interface Connection {
  client: Client;
  presentedHostKey: string;
}

type Auth = Pick<ConnectConfig, 'password' | 'privateKey' | 'tryKeyboard' | 'authHandler'>;

/** Connects and authenticates; rejects with ssh2's error, which carries a `level`. */
function connectAs(auth: Auth, keyboardAnswer?: string): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presentedHostKey = '';
    client.on('ready', () => resolve({ client, presentedHostKey }));
    client.on('error', reject);
    client.on('keyboard-interactive', (_name, _instructions, _language, prompts, finish) => {
      finish(prompts.map(() => keyboardAnswer ?? ''));
    });
    client.connect({
      host: lab.host,
      port: lab.port,
      username: lab.username,
      ...auth,
      hostVerifier: (key: Buffer) => {
        presentedHostKey = fingerprintOf(key);
        return presentedHostKey === lab.hostKeySha256;
      },
    });
  });
}

function execText(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let output = '';
      stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      stream.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      stream.on('close', () => resolve(output));
    });
  });
}

/** A vtysh session over a PTY, read one prompt at a time; each wait is bounded. */
class VtyshShell {
  private buffer = '';
  private onData: (() => void) | undefined;

  constructor(private readonly stream: ClientChannel) {
    stream.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8').replace(/\r/g, '');
      this.onData?.();
    });
  }

  /** Everything up to and including the next prompt, in any mode: `lab-frr1(config-if)# `. */
  readUntilPrompt(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onData = undefined;
        reject(
          new Error(`expected a vtysh prompt within ${READ_TIMEOUT_MS} ms, got:\n${this.buffer}`),
        );
      }, READ_TIMEOUT_MS);
      this.onData = () => {
        const match = PROMPT.exec(this.buffer);
        if (match === null) return;
        const end = match.index + match[0].length;
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        this.onData = undefined;
        clearTimeout(timer);
        resolve(text);
      };
      this.onData();
    });
  }

  send(line: string): Promise<string> {
    this.stream.write(`${line}\n`);
    return this.readUntilPrompt();
  }
}

async function openShell(client: Client): Promise<VtyshShell> {
  const stream = await new Promise<ClientChannel>((resolve, reject) => {
    client.shell({ term: 'vt100', cols: 511, rows: 1000 }, (error, channel) => {
      if (error) reject(error);
      else resolve(channel);
    });
  });
  return new VtyshShell(stream);
}

describe('the FRR lab router over SSH', () => {
  it('runs a vtysh command for a password login', async () => {
    const { client } = await connectAs({ password: lab.password });
    try {
      const config = await execText(client, 'show running-config');
      expect(config).toContain('hostname lab-frr1');
      expect(config).toContain('router bgp 65001');
    } finally {
      client.end();
    }
  });

  it('opens an interactive vtysh at the lab-frr1# prompt for a key login', async () => {
    const { client } = await connectAs({ privateKey: readFileSync(lab.privateKeyPath) });
    try {
      const shell = await openShell(client);
      const greeting = await shell.readUntilPrompt();
      expect(greeting).toContain('Hello, this is FRRouting');
      expect(greeting).toMatch(/\nlab-frr1# $/);

      const config = await shell.send('show running-config');
      expect(config).toContain('show running-config\n');
      expect(config).toContain(' neighbor 10.255.1.2 remote-as 65002');
      expect(config).toMatch(/\nend\nlab-frr1# $/);
    } finally {
      client.end();
    }
  });

  it('accepts the password through keyboard-interactive, as EOS and Junos ask for it', async () => {
    const auth: Auth = { tryKeyboard: true, authHandler: ['keyboard-interactive'] };
    const { client } = await connectAs(auth, lab.password);
    try {
      expect(await execText(client, 'show running-config')).toContain('hostname lab-frr1');
    } finally {
      client.end();
    }
  });

  it('refuses a wrong password', async () => {
    const attempt = connectAs({ password: `${lab.password}-wrong` });
    await expect(attempt).rejects.toMatchObject({ level: 'client-authentication' });
  });

  it('presents the host key whose fingerprint the lab state records', async () => {
    expect(lab.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const { client, presentedHostKey } = await connectAs({ password: lab.password });
    client.end();
    expect(presentedHostKey).toBe(lab.hostKeySha256);
  });

  it('resetFrr undoes a change configured over SSH', async () => {
    const { client } = await connectAs({ privateKey: readFileSync(lab.privateKeyPath) });
    try {
      const shell = await openShell(client);
      await shell.readUntilPrompt();
      expect(await shell.send('configure terminal')).toMatch(/lab-frr1\(config\)# $/);
      expect(await shell.send('interface lo')).toMatch(/lab-frr1\(config-if\)# $/);
      expect(await shell.send('description changed-by-test')).not.toContain('% ');
      expect(await shell.send('end')).toMatch(/\nlab-frr1# $/);
      expect(await execText(client, 'show running-config')).toContain(
        ' description changed-by-test',
      );

      await resetFrr();

      const config = await execText(client, 'show running-config');
      expect(config).not.toContain('changed-by-test');
      expect(config).toContain('interface lo\n description lab loopback\nexit');
    } finally {
      client.end();
    }
  });
});
