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

/** A detached ed25519 signature over `canonicalJson(payload)`, base64. */
export function signPayload(payload: unknown, secretKeyBase64: string): string {
  const message = new TextEncoder().encode(canonicalJson(payload));
  return toBase64(nacl.sign.detached(message, fromBase64(secretKeyBase64, secretKeyBytes)));
}

/** False for a wrong signature and for keys or signatures of the wrong shape; never throws. */
export function verifyPayload(
  payload: unknown,
  signatureBase64: string,
  publicKeyBase64: string,
): boolean {
  try {
    const message = new TextEncoder().encode(canonicalJson(payload));
    const signature = fromBase64(signatureBase64, nacl.sign.signatureLength);
    const publicKey = fromBase64(publicKeyBase64, nacl.sign.publicKeyLength);
    return nacl.sign.detached.verify(message, signature, publicKey);
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
