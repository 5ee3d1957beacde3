import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceFaults } from './DeviceFaults.ts';
import { SimServer } from './SimServer.ts';
import { legacySshAlgorithms } from './ssh/legacySshAlgorithms.ts';
import { fingerprintOf, generateSshKeyPair } from './ssh/simHostKeys.ts';
import { SshTestDevice } from './testing/SshTestDevice.ts';

const servers: SimServer[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.end();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startDevice(
  options: { legacy?: boolean; authorizedKeys?: string[]; faults?: DeviceFaults } = {},
) {
  const faults = options.faults ?? {};
  const device = new SshTestDevice({ hostname: 'r1', faults });
  const server = new SimServer();
  servers.push(server);
  const endpoint = await server.add({
    device,
    username: 'admin',
    password: 'secret-1',
    faults,
    ...(options.legacy === undefined ? {} : { legacy: options.legacy }),
    ...(options.authorizedKeys === undefined ? {} : { authorizedKeys: options.authorizedKeys }),
  });
  return { device, endpoint, faults };
}

function connect(port: number, extra: Partial<ConnectConfig> = {}) {
  return new Promise<{ client: Client; hostKey: Buffer | undefined }>((resolve, reject) => {
    const client = new Client();
    clients.push(client);
    let hostKey: Buffer | undefined;
    client.once('ready', () => resolve({ client, hostKey }));
    client.on('error', reject);
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'admin',
      ...(extra.privateKey === undefined ? { password: 'secret-1' } : {}),
      hostVerifier: (key: Buffer) => {
        hostKey = key;
        return true;
      },
      ...extra,
    });
  });
}

function openShell(client: Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) =>
    client.shell({ term: 'vt100', cols: 200, rows: 50 }, (error, channel) =>
      error ? reject(error) : resolve(channel),
    ),
  );
}

function reader(channel: ClientChannel) {
  let text = '';
  channel.on('data', (data: Buffer) => {
    text += data.toString('latin1');
  });
  return {
    text: () => text,
    async until(pattern: RegExp): Promise<string> {
      for (;;) {
        if (pattern.test(text)) return text;
        await new Promise((resolve) => channel.once('data', resolve));
      }
    },
    clear() {
      text = '';
    },
  };
}

function exec(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) =>
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let text = '';
      channel.on('data', (data: Buffer) => {
        text += data.toString();
      });
      channel.on('close', () => resolve(text));
    }),
  );
}

describe('SimServer shell', () => {
  it('greets, prompts, echoes with CRLF and applies backspace before running the line', async () => {
    const { endpoint } = await startDevice();
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    expect(shell.text()).toBe('\r\nWelcome to r1, an SSH test device.\r\n\r\nr1# ');
    shell.clear();
    channel.write('echo hellp\x7fo\r');
    const output = await shell.until(/hello\r\nr1# $/);
    expect(output).toBe('echo hellp\b \bo\r\nhello\r\nr1# ');
  });

  it('answers a line that arrives in one piece with one packet: echo, output and prompt', async () => {
    const { endpoint } = await startDevice();
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    const chunks: string[] = [];
    channel.on('data', (data: Buffer) => chunks.push(data.toString('latin1')));
    channel.write('echo one piece\r');
    await shell.until(/one piece\r\nr1# $/);
    expect(chunks).toEqual(['echo one piece\r\none piece\r\nr1# ']);
  });

  it('pages pageable output and answers space, return and q', async () => {
    const { endpoint } = await startDevice();
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    channel.write('terminal length 3\rlines 10\r');
    await shell.until(/line 3 of 10\r\n --More-- $/);
    expect(shell.text()).not.toContain('line 4 of 10');
    channel.write(' ');
    await shell.until(/line 6 of 10\r\n --More-- $/);
    channel.write('\r');
    await shell.until(/line 7 of 10\r\n --More-- $/);
    expect(shell.text()).not.toContain('line 8 of 10');
    channel.write('q');
    await shell.until(/r1# $/);
    expect(shell.text()).not.toContain('line 8 of 10');
  });

  it('keeps an empty line that ends a page', async () => {
    const { endpoint, device } = await startDevice();
    device.configLines = ['hostname r1', '!', '', 'interface Loopback0'];
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    // Page 1: Building configuration..., (empty), hostname r1, !, (empty).
    channel.write('terminal length 5\rshow running-config\r');
    await shell.until(/ --More-- $/);
    expect(shell.text()).toMatch(/hostname r1\r\n!\r\n\r\n --More-- $/);
    channel.write(' ');
    await shell.until(/r1# $/);
    expect(shell.text()).toMatch(/interface Loopback0\r\nend\r\nr1# $/);
  });

  it('keeps paging forever under the endless-paging fault', async () => {
    const { endpoint } = await startDevice({ faults: { endlessPaging: true } });
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    channel.write('terminal length 2\rlines 3\r');
    for (let page = 0; page < 5; page += 1) {
      await shell.until(/ --More-- $/);
      shell.clear();
      channel.write(' ');
    }
    await shell.until(/ --More-- $/);
    expect(shell.text()).toMatch(/line \d of 3/);
  });

  it('drops the connection midway through a command that matches disconnectOn', async () => {
    const { endpoint, faults } = await startDevice();
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    faults.disconnectOn = /^lines/;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    channel.write('terminal length 0\rlines 1000\r');
    await closed;
    expect(shell.text()).toContain('line 1 of 1000');
    expect(shell.text()).not.toContain('line 1000 of 1000');
  });

  it('does not answer a command that matches hangOn', async () => {
    const { endpoint } = await startDevice({ faults: { hangOn: /^echo stuck/ } });
    const { client } = await connect(endpoint.port);
    const channel = await openShell(client);
    const shell = reader(channel);
    await shell.until(/r1# $/);
    shell.clear();
    channel.write('echo stuck\recho after\r');
    await shell.until(/echo stuck\r\n/);
    // The exec channel is a second, independent session: it proves the server is alive.
    expect(await exec(client, 'echo alive')).toBe('alive\n');
    expect(shell.text()).toBe('echo stuck\r\n');
  });
});

describe('SimServer transport faults on exec channels', () => {
  function execChannel(client: Client, command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) =>
      client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))),
    );
  }

  it('sends all of the output under slow output, in pieces of a tenth of the rate', async () => {
    const { endpoint } = await startDevice({ faults: { slowOutputBytesPerSecond: 20_000 } });
    const { client } = await connect(endpoint.port);
    const channel = await execChannel(client, 'lines 200');
    const pieces: number[] = [];
    let text = '';
    channel.on('data', (data: Buffer) => {
      pieces.push(data.length);
      text += data.toString();
    });
    await new Promise((resolve) => channel.once('close', resolve));
    expect(text.split('\n').filter(Boolean)).toHaveLength(200);
    expect(text).toContain('line 200 of 200\n');
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(2000);
  });

  it('drops the connection midway through an exec that matches disconnectOn', async () => {
    const { endpoint } = await startDevice({ faults: { disconnectOn: /^lines/ } });
    const { client } = await connect(endpoint.port);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const channel = await execChannel(client, 'lines 1000');
    let text = '';
    channel.on('data', (data: Buffer) => {
      text += data.toString();
    });
    await closed;
    expect(text).toContain('line 1 of 1000');
    expect(text).not.toContain('line 1000 of 1000');
  });

  it('never answers an exec that matches hangOn, while other channels still work', async () => {
    const { endpoint } = await startDevice({ faults: { hangOn: /^echo stuck/ } });
    const { client } = await connect(endpoint.port);
    const hung = await execChannel(client, 'echo stuck');
    let received = '';
    hung.on('data', (data: Buffer) => {
      received += data.toString();
    });
    let closed = false;
    hung.once('close', () => {
      closed = true;
    });
    expect(await exec(client, 'echo alive')).toBe('alive\n');
    expect(received).toBe('');
    expect(closed).toBe(false);
  });
});

describe('SimServer logins', () => {
  it('runs one command per exec channel with a fresh session', async () => {
    const { endpoint } = await startDevice();
    const { client } = await connect(endpoint.port);
    expect(await exec(client, 'show running-config')).toBe(
      'Building configuration...\n\nhostname r1\nend\n',
    );
  });

  it('accepts keyboard-interactive and public-key logins', async () => {
    const pair = generateSshKeyPair();
    const { endpoint } = await startDevice({ authorizedKeys: [pair.public] });
    const { client } = await new Promise<{ client: Client }>((resolve, reject) => {
      const kbClient = new Client();
      clients.push(kbClient);
      kbClient.on('keyboard-interactive', (_n, _i, _l, _p, finish) => finish(['secret-1']));
      kbClient.once('ready', () => resolve({ client: kbClient }));
      kbClient.on('error', reject);
      kbClient.connect({
        host: '127.0.0.1',
        port: endpoint.port,
        username: 'admin',
        tryKeyboard: true,
      });
    });
    expect(await exec(client, 'echo kbd')).toBe('kbd\n');
    const byKey = await connect(endpoint.port, { privateKey: pair.private });
    expect(await exec(byKey.client, 'echo key')).toBe('key\n');
  });

  it('refuses a wrong password and every login under rejectLogins', async () => {
    const { endpoint, faults } = await startDevice();
    await expect(connect(endpoint.port, { password: 'wrong' })).rejects.toThrow(
      /authentication methods failed/,
    );
    faults.rejectLogins = true;
    await expect(connect(endpoint.port)).rejects.toThrow(/authentication methods failed/);
  });

  it('serves its own host key, and a different one while changeHostKey is on', async () => {
    const { endpoint, faults } = await startDevice();
    const first = await connect(endpoint.port);
    expect(first.hostKey && fingerprintOf(first.hostKey)).toBe(endpoint.hostKeyFingerprint);
    faults.changeHostKey = true;
    const second = await connect(endpoint.port);
    expect(second.hostKey && fingerprintOf(second.hostKey)).not.toBe(endpoint.hostKeyFingerprint);
  });

  it('in legacy mode identifies as Cisco-1.25 and negotiates only old algorithms', async () => {
    const { endpoint } = await startDevice({ legacy: true });
    await expect(connect(endpoint.port)).rejects.toThrow(/no matching/i);
    const negotiated: string[] = [];
    const { client } = await connect(endpoint.port, {
      algorithms: {
        kex: { append: ['diffie-hellman-group14-sha1'], prepend: [], remove: [] },
        cipher: { append: ['aes128-cbc'], prepend: [], remove: [] },
      },
      debug: (line: string) => {
        if (/Handshake: (KEX algorithm|C->S Cipher)|Remote ident/.test(line)) negotiated.push(line);
      },
    });
    expect(await exec(client, 'echo old')).toBe('old\n');
    expect(negotiated.join('\n')).toContain('diffie-hellman-group14-sha1');
    expect(negotiated.join('\n')).toContain('aes128-cbc');
    expect(negotiated.join('\n')).toContain('SSH-2.0-Cisco-1.25');
    expect(legacySshAlgorithms.serverHostKey).toEqual(['ssh-rsa']);
  });
});
