import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { type CreateNamespaceOptions, createNamespace, type Namespace } from '../lab/netns.js';
import { run } from '../lab/run.js';

const created: Namespace[] = [];
const servers: ChildProcess[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) server.kill();
  for (const namespace of created.splice(0)) await namespace.remove();
});

async function newNamespace(options: CreateNamespaceOptions = {}): Promise<Namespace> {
  const namespace = await createNamespace(options);
  created.push(namespace);
  return namespace;
}

/** Starts the HTTP server inside the namespace and resolves once it is listening. */
async function startHelloServer(namespace: Namespace): Promise<void> {
  const script =
    "require('http').createServer((q, s) => s.end('hello from ns'))" +
    `.listen(8080, '${namespace.namespaceAddress}', () => console.log('listening'))`;
  const server = namespace.spawnIn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(server);
  const { stdout } = server;
  if (stdout === null) throw new Error('expected spawnIn to pipe the server output');
  await new Promise<void>((resolve, reject) => {
    stdout.once('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
      else reject(new Error(`expected the server to print listening, found ${chunk}`));
    });
    server.once('exit', (code) =>
      reject(new Error(`expected the server to listen, found exit ${code}`)),
    );
  });
}

async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name], { allowFailure: true })).code === 0;
}

async function namespaceNames(): Promise<string[]> {
  const listed = await run('ip', ['netns', 'list']);
  return listed.stdout.split('\n').map((line) => line.split(' ')[0] ?? '');
}

describe('lab network namespaces', () => {
  it('gives the namespace the .2 and the host the .1 of a /30 in 10.213.0.0/16', async () => {
    const namespace = await newNamespace();

    expect(namespace.name).toMatch(/^plb-[0-9a-f]{6}$/);
    const [a, b, c, d] = namespace.hostAddress.split('.').map(Number);
    expect([a, b]).toEqual([10, 213]);
    expect((d ?? -1) % 4).toBe(1);
    expect(namespace.namespaceAddress).toBe(`10.213.${c}.${(d ?? 0) + 1}`);

    const inside = await namespace.exec('ip', ['-4', '-o', 'address', 'show']);
    expect(inside.stdout).toContain(`inet ${namespace.namespaceAddress}/30`);
    expect(inside.stdout).toContain('inet 127.0.0.1/8');
  });

  it('serves HTTP from inside the namespace to the root namespace', async () => {
    const namespace = await newNamespace();
    await startHelloServer(namespace);

    const response = await fetch(`http://${namespace.namespaceAddress}:8080/`);
    expect(await response.text()).toBe('hello from ns');
  });

  it('never picks a /30 that an existing address already uses', async () => {
    // A pool of two blocks: the second namespace must take the one the first left free.
    const addressPool = '10.213.255.248/29';
    const first = await newNamespace({ addressPool });
    const second = await newNamespace({ addressPool });

    const hostAddresses = [first.hostAddress, second.hostAddress].sort();
    expect(hostAddresses).toEqual(['10.213.255.249', '10.213.255.253']);
    await expect(createNamespace({ addressPool })).rejects.toThrow(/expected a free \/30/);
  });

  it('remove deletes the namespace and its host veth, and may be called twice', async () => {
    const namespace = await newNamespace();
    const hostVeth = `${namespace.name}-h`;
    expect(await namespaceNames()).toContain(namespace.name);
    expect(await linkExists(hostVeth)).toBe(true);

    await namespace.remove();
    expect(await namespaceNames()).not.toContain(namespace.name);
    expect(await linkExists(hostVeth)).toBe(false);

    await expect(namespace.remove()).resolves.toBeUndefined();
  });
});
