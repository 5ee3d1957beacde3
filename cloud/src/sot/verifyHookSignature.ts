import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Nautobot's `X-Hook-Signature`: hex HMAC-SHA512 of the exact body bytes, keyed with the secret.
 * Compared in constant time; a missing or malformed header is simply not equal.
 */
export function verifyHookSignature(
  secret: string,
  rawBody: Uint8Array,
  header: string | undefined,
): boolean {
  if (header === undefined || !/^[0-9a-f]{128}$/i.test(header.trim())) return false;
  const expected = createHmac('sha512', secret).update(rawBody).digest();
  const presented = Buffer.from(header.trim(), 'hex');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
