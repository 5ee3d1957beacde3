import { createHash } from 'node:crypto';

/** OpenSSH's `SHA256:<base64 without padding>` of a raw public key blob. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}
