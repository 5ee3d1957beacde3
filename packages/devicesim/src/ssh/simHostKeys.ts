import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

// ssh2 is CommonJS without named exports Node can see: take them from the default export.
const { utils } = ssh2;

export type SimHostKeyType = 'ed25519' | 'rsa';

export interface SimHostKey {
  /** OpenSSH private key text, as ssh2's server takes it. */
  privateKey: string;
  /** `SHA256:<base64 without padding>`, the form OpenSSH prints. */
  fingerprint: string;
}

/**
 * Keys by hostname and type, kept for the life of the process: a device restarted in the same
 * process keeps its key (as a real one does), and RSA keys for legacy devices, which take tens
 * of milliseconds each to make, are made once.
 */
const cache = new Map<string, SimHostKey>();

export function hostKeyFor(hostname: string, type: SimHostKeyType): SimHostKey {
  const cacheKey = `${type}:${hostname}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const key = generateHostKey(type);
  cache.set(cacheKey, key);
  return key;
}

/** A key no device has had before, for the changed-host-key fault. */
export function generateHostKey(type: SimHostKeyType): SimHostKey {
  const pair = generateSshKeyPair(type);
  return { privateKey: pair.private, fingerprint: fingerprintOf(pair.public) };
}

/**
 * ssh2's `generateKeyPairSync` (1.17) now and then (about 1 in 200 ed25519 keys) writes a
 * public key whose blob is one byte short, which its own `parseKey` then refuses. Such pairs
 * are thrown away and made again.
 */
export function generateSshKeyPair(type: SimHostKeyType = 'ed25519'): {
  private: string;
  public: string;
} {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pair =
      type === 'rsa'
        ? utils.generateKeyPairSync('rsa', { bits: 2048 })
        : utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
  throw new Error(`could not generate a well-formed ${type} key pair`);
}

/** The SHA256 fingerprint of an OpenSSH public key line or a raw public key blob. */
export function fingerprintOf(publicKey: string | Buffer): string {
  const blob = typeof publicKey === 'string' ? publicKeyBlob(publicKey) : publicKey;
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return `SHA256:${digest}`;
}

function publicKeyBlob(publicKey: string): Buffer {
  const parsed = utils.parseKey(publicKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error) {
    throw new Error(`not a public key: ${key instanceof Error ? key.message : 'empty'}`);
  }
  return key.getPublicSSH();
}
