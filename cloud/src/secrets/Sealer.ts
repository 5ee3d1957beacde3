import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const format = 'sealed.v1';

/** A sealed value could not be opened: wrong key, altered, or sealed for another context. */
export class SealError extends Error {
  override name = 'SealError';
}

/**
 * Seals secrets at rest (integration API tokens, the tenants' job-signing keys) with
 * AES-256-GCM under a key that lives outside the database, in its own 0600 file. The context
 * (for example `integration:<id>:token`) is bound as associated data, so a sealed value copied
 * into another row does not open there. Sealed text: `sealed.v1.<keyId>.<iv>.<ciphertext+tag>`.
 */
export class Sealer {
  private readonly key: Buffer;
  /** First 8 hex digits of the key's SHA-256: tells which key sealed a value, reveals nothing. */
  readonly keyId: string;

  constructor(key: Buffer) {
    if (key.length !== keyBytes) throw new SealError(`a seal key has ${keyBytes} bytes`);
    this.key = key;
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** A key kept only in memory: for tests and `:memory:` stores, where nothing outlives them. */
  static ephemeral(): Sealer {
    return new Sealer(randomBytes(keyBytes));
  }

  /**
   * The key in `path` (base64, one line), made with 0600 permissions when the file is missing.
   * A file that holds something else stops start-up rather than sealing under a new key.
   */
  static fromKeyFile(path: string): Sealer {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, `${randomBytes(keyBytes).toString('base64')}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
    }
    chmodSync(path, 0o600);
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== keyBytes) {
      throw new SealError(
        `${path} must hold a ${keyBytes}-byte key in base64; it holds ${key.length} bytes`,
      );
    }
    return new Sealer(key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return [format, this.keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    const [, , keyId, iv, body] = parts;
    if (parts.length !== 5 || `${parts[0]}.${parts[1]}` !== format || !keyId || !iv || !body) {
      throw new SealError('not a sealed value');
    }
    if (keyId !== this.keyId) {
      throw new SealError(
        `sealed under key ${keyId}, but the configured seal key is ${this.keyId}`,
      );
    }
    const bytes = Buffer.from(body, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - tagBytes)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SealError(
        `the sealed value for ${context} was altered or sealed for something else`,
      );
    }
  }
}
