import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** API tokens start with this, so secret scanners and people can recognise them. */
export const apiTokenPrefix = 'plb_';

/** A new API token: 32 random bytes, base64url, behind the prefix. */
export function generateApiToken(): string {
  return `${apiTokenPrefix}${randomBytes(32).toString('base64url')}`;
}

/** A new opaque secret for cookies and CSRF tokens. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256, hex. Enough for tokens: they carry 256 random bits, so there is nothing to guess
 * and no need for a slow hash; the lookup by hash also takes the same time for any token.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const scryptParams = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const scryptKeyBytes = 32;

/** scrypt with a random salt, stored as `scrypt$N$r$p$salt$key` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, scryptParams);
  const { N, r, p } = scryptParams;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p), maxmem: scryptParams.maxmem };
  const actual = await deriveKey(password, Buffer.from(salt, 'base64url'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function deriveKey(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number; maxmem: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, scryptKeyBytes, params, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
