import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { type RunOptions, type RunResult, run } from './run.js';

/**
 * A network namespace joined to the host by a veth pair, for a server that Nautobot must reach
 * on a private address: Nautobot refuses loopback webhook targets. Traffic to namespaceAddress
 * stays on this machine, crossing only the veth.
 */
export interface Namespace {
  /** `plb-` and six hex digits; also the prefix of its veth ends. */
  readonly name: string;
  /** The root namespace's end of the veth, the `.1` of the /30. */
  readonly hostAddress: string;
  /** The namespace's end of the veth, the `.2` of the /30; servers inside listen here. */
  readonly namespaceAddress: string;
  /** Runs a command inside the namespace to completion. */
  exec(command: string, args: string[], options?: RunOptions): Promise<RunResult>;
  /** Starts a long-running command inside the namespace; the caller owns and stops it. */
  spawnIn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Deletes the namespace and its veth; safe to call more than once. */
  remove(): Promise<void>;
}

export interface CreateNamespaceOptions {
  /** Where the /30 comes from; defaults to 10.213.0.0/16. */
  addressPool?: string;
}

const NAME_PREFIX = 'plb-';
const labName = /^plb-[0-9a-f]{6}$/;
const labHostVeth = /^(plb-[0-9a-f]{6})-h$/;
const DEFAULT_ADDRESS_POOL = '10.213.0.0/16';
const BLOCK_SIZE = 4;

interface AddressRange {
  first: number;
  last: number;
}

/** Creates a namespace on a /30 that overlaps no address or route this machine already has. */
export async function createNamespace(options: CreateNamespaceOptions = {}): Promise<Namespace> {
  const pool = parsePool(options.addressPool ?? DEFAULT_ADDRESS_POOL);
  const name = `${NAME_PREFIX}${randomBytes(3).toString('hex')}`;
  const block = pickFreeBlock(pool, await usedRanges());
  const hostAddress = formatIpv4(block.first + 1);
  const namespaceAddress = formatIpv4(block.first + 2);
  const { host, peer } = vethNames(name);

  try {
    await ip('netns', 'add', name);
    await ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    await ip('link', 'set', peer, 'netns', name);
    await ip('address', 'add', `${hostAddress}/30`, 'dev', host);
    await ip('link', 'set', host, 'up');
    await ip('-n', name, 'address', 'add', `${namespaceAddress}/30`, 'dev', peer);
    await ip('-n', name, 'link', 'set', peer, 'up');
    await ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (error) {
    await removeNamespace(name);
    throw error;
  }

  const prefix = ['netns', 'exec', name];
  return {
    name,
    hostAddress,
    namespaceAddress,
    exec: (command, args, runOptions) => run('ip', [...prefix, command, ...args], runOptions),
    spawnIn: (command, args, spawnOptions) => {
      return spawn('ip', [...prefix, command, ...args], spawnOptions ?? {});
    },
    remove: () => removeNamespace(name),
  };
}

/**
 * Deletes a lab namespace, the processes still running in it and its host veth. Quietly does
 * nothing for parts that are already gone.
 */
export async function removeNamespace(name: string): Promise<void> {
  if (!labName.test(name)) {
    throw new Error(
      `expected a lab namespace name like plb-1a2b3c, found ${JSON.stringify(name)}; ` +
        'only namespaces made by createNamespace can be removed here',
    );
  }
  const exists = (await listNamespaces()).includes(name);
  if (exists) await killProcessesIn(name);

  // Deleting one end deletes the pair at once; deleting the namespace would do it later.
  const { host } = vethNames(name);
  if ((await hostLinks()).includes(host)) await ip('link', 'delete', host);
  if (exists) await ip('netns', 'delete', name);
}

/** Removes every `plb-*` namespace and orphaned `plb-*-h` veth; returns the names removed. */
export async function removeStaleNamespaces(): Promise<string[]> {
  const fromNamespaces = (await listNamespaces()).filter((name) => labName.test(name));
  const fromVeths = (await hostLinks()).flatMap((link) => labHostVeth.exec(link)?.[1] ?? []);
  const names = [...new Set([...fromNamespaces, ...fromVeths])];
  for (const name of names) await removeNamespace(name);
  return names;
}

function vethNames(name: string): { host: string; peer: string } {
  return { host: `${name}-h`, peer: `${name}-n` };
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

async function listNamespaces(): Promise<string[]> {
  const listed = await run('ip', ['netns', 'list']);
  return listed.stdout.split('\n').flatMap((line) => line.trim().split(/\s+/)[0] || []);
}

/** Names of the links in the root namespace, without the `@peer` suffix. */
async function hostLinks(): Promise<string[]> {
  const listed = await run('ip', ['-o', 'link', 'show']);
  return listed.stdout.split('\n').flatMap((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? []);
}

/** A server left running would keep the namespace alive, unseen, after its name is deleted. */
async function killProcessesIn(name: string): Promise<void> {
  const listed = await run('ip', ['netns', 'pids', name], { allowFailure: true });
  for (const pid of listed.stdout.split(/\s+/).filter((word) => /^\d+$/.test(word))) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // It exited on its own in the meantime.
    }
  }
}

/** Every IPv4 range this machine already uses, from its addresses and all routing tables. */
async function usedRanges(): Promise<AddressRange[]> {
  const addresses = await run('ip', ['-4', '-o', 'address', 'show']);
  const routes = await run('ip', ['-4', 'route', 'show', 'table', 'all']);
  const cidrs = [
    ...addresses.stdout.split('\n').map((line) => /\binet (\S+)/.exec(line)?.[1]),
    ...routes.stdout.split('\n').map(routeDestination),
  ];
  // A default route covers everything and says nothing about which addresses are taken.
  return cidrs
    .flatMap((cidr) => (cidr === undefined ? [] : (parseCidr(cidr) ?? [])))
    .filter((range) => !(range.first === 0 && range.last === 0xffffffff));
}

const routeTypes = new Set([
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'anycast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
]);

function routeDestination(line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  const destination = routeTypes.has(words[0] ?? '') ? words[1] : words[0];
  return destination === undefined || destination === '' || destination === 'default'
    ? undefined
    : destination;
}

function parsePool(cidr: string): AddressRange {
  const range = parseCidr(cidr);
  const prefixLength = Number(cidr.split('/')[1]);
  if (range === undefined || !cidr.includes('/') || prefixLength > 30) {
    throw new Error(
      `expected addressPool to be an IPv4 CIDR of /30 or larger, like ${DEFAULT_ADDRESS_POOL}, ` +
        `found ${JSON.stringify(cidr)}`,
    );
  }
  return range;
}

/** Starts at a random /30 so that concurrent callers rarely race for the same block. */
function pickFreeBlock(pool: AddressRange, used: AddressRange[]): AddressRange {
  const blocks = Math.floor((pool.last - pool.first + 1) / BLOCK_SIZE);
  const start = randomInt(blocks);
  for (let offset = 0; offset < blocks; offset++) {
    const first = pool.first + ((start + offset) % blocks) * BLOCK_SIZE;
    const block = { first, last: first + BLOCK_SIZE - 1 };
    if (!used.some((range) => range.first <= block.last && block.first <= range.last)) {
      return block;
    }
  }
  throw new Error(
    `expected a free /30 in ${formatIpv4(pool.first)}-${formatIpv4(pool.last)}, found every ` +
      'one overlapping an address or route; remove stale namespaces (removeStaleNamespaces)',
  );
}

/** `a.b.c.d` or `a.b.c.d/n` as the range of addresses it covers. */
function parseCidr(cidr: string): AddressRange | undefined {
  const [address = '', lengthText = '32'] = cidr.split('/');
  const octets = address.split('.').map(Number);
  const prefixLength = Number(lengthText);
  const valid =
    octets.length === 4 &&
    octets.every((octet) => Number.isInteger(octet) && octet >= 0 && octet <= 255) &&
    Number.isInteger(prefixLength) &&
    prefixLength >= 0 &&
    prefixLength <= 32;
  if (!valid) return undefined;

  const value = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefixLength);
  const first = value - (value % size);
  return { first, last: first + size - 1 };
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
