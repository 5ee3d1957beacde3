import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import nacl from 'tweetnacl';
import { canonicalJson } from './canonicalJson.ts';

/** An ed25519 key pair, both halves base64. */
export interface SigningKeyPair {
  publicKey: string;
  secretKey: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const pair = nacl.sign.keyPair();
  return { publicKey: toBase64(pair.publicKey), secretKey: toBase64(pair.secretKey) };
}

/**
 * A detached ed25519 signature over `canonicalJson(payload)`, base64. Keys are tweetnacl's, but
 * signing and verifying run in Node's OpenSSL: the same signatures (ed25519 is deterministic),
 * about 70 times faster than tweetnacl's JavaScript (0.39 against 27 ms a verify, measured here
 * under load), which matters when a thousand agents reconnect at once.
 */
export function signPayload(payload: unknown, secretKeyBase64: string): string {
  const message = Buffer.from(canonicalJson(payload));
  return sign(null, message, privateKeyObject(secretKeyBase64)).toString('base64');
}

/** False for a wrong signature and for keys or signatures of the wrong shape; never throws. */
export function verifyPayload(
  payload: unknown,
  signatureBase64: string,
  publicKeyBase64: string,
): boolean {
  try {
    const message = Buffer.from(canonicalJson(payload));
    const signature = fromBase64(signatureBase64, nacl.sign.signatureLength);
    return verify(null, message, publicKeyObject(publicKeyBase64), signature);
  } catch {
    return false;
  }
}

/** A short stable name for a public key: the first 16 hex digits of its SHA-512. */
export function keyIdOf(publicKeyBase64: string): string {
  const digest = nacl.hash(fromBase64(publicKeyBase64, nacl.sign.publicKeyLength));
  return Buffer.from(digest.subarray(0, 8)).toString('hex');
}

/** What the agent signs to answer a connection's challenge. */
export interface AuthPayload {
  purpose: 'plumbline.auth.v1';
  challenge: string;
  connectionId: string;
  version: number;
  agentId: string;
  tenantId: string;
  publicKey: string;
}

/**
 * The payload an `auth` frame's signature covers, taken field by field from `auth` (a frame
 * or the fields for one), so the agent signing and the cloud verifying cover the same fields
 * and nothing else the frame carries.
 */
export function authPayloadOf(auth: Omit<AuthPayload, 'purpose'>): AuthPayload {
  return {
    purpose: 'plumbline.auth.v1',
    challenge: auth.challenge,
    connectionId: auth.connectionId,
    version: auth.version,
    agentId: auth.agentId,
    tenantId: auth.tenantId,
    publicKey: auth.publicKey,
  };
}

/** What both the old and the new key sign to rotate an agent's key over the tunnel. */
export interface RotationPayload {
  purpose: 'plumbline.rotate.v1';
  agentId: string;
  connectionId: string;
  newPublicKey: string;
}

/** What the cloud signs for a job that may change something in the customer's network. */
export interface JobSigningPayload {
  purpose: 'plumbline.job.v1';
  jobId: string;
  agentId: string;
  tenantId: string;
  kind: string;
  params: unknown;
}

/** What the cloud signs to tell an agent where it may forward HTTP requests. */
export interface TargetsSigningPayload {
  purpose: 'plumbline.targets.v1';
  agentId: string;
  tenantId: string;
  baseUrls: string[];
  issuedAtMs: number;
}

const secretKeyBytes = nacl.sign.secretKeyLength;

// DER headers that turn raw ed25519 keys into the SPKI and PKCS#8 forms Node reads.
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

const publicKeys = new Map<string, KeyObject>();
const maxCachedPublicKeys = 4096;

function publicKeyObject(publicKeyBase64: string): KeyObject {
  let key = publicKeys.get(publicKeyBase64);
  if (key) return key;
  const raw = fromBase64(publicKeyBase64, nacl.sign.publicKeyLength);
  key = createPublicKey({ key: Buffer.concat([spkiPrefix, raw]), format: 'der', type: 'spki' });
  if (publicKeys.size >= maxCachedPublicKeys) publicKeys.clear();
  publicKeys.set(publicKeyBase64, key);
  return key;
}

/** tweetnacl's secret key is the 32-byte seed followed by the public key. */
function privateKeyObject(secretKeyBase64: string): KeyObject {
  const seed = fromBase64(secretKeyBase64, secretKeyBytes).subarray(0, 32);
  return createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function fromBase64(text: string, expectedBytes: number): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  if (bytes.length !== expectedBytes) {
    throw new RangeError(`expected ${expectedBytes} bytes of base64, got ${bytes.length}`);
  }
  return bytes;
}
