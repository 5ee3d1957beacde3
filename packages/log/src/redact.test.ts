import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redact, scrubText } from './redact.js';

describe('isSecretKey', () => {
  it.each([
    'token',
    'api_token',
    'X-Auth-Token',
    'password',
    'privateKey',
    'private_key',
    'Authorization',
    'secret',
    'webhookSecret',
    'passphrase',
  ])('treats %s as secret-bearing', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['name', 'hostname', 'username', 'serial', 'key_id', 'publicKey'])(
    'leaves %s alone',
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe('scrubText', () => {
  it('removes auth scheme values and PEM private keys but keeps the words around them', () => {
    const text =
      'sent Token 0123456789abcdef, key -----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY----- done';
    expect(scrubText(text)).toBe(`sent Token ${REDACTED}, key ${REDACTED} done`);
  });

  it('does not touch ordinary prose that mentions tokens', () => {
    expect(scrubText('the token was refused')).toBe('the token was refused');
  });
});

describe('redact', () => {
  it('cuts objects nested deeper than the limit instead of walking them', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[too deep]');
  });

  it('redacts inside maps and arrays', () => {
    const value = {
      hooks: [
        new Map([
          ['secret', 's3cret-value'],
          ['url', 'u'],
        ]),
      ],
    };
    expect(redact(value)).toEqual({ hooks: [{ secret: REDACTED, url: 'u' }] });
  });

  it('summarises binary data instead of dumping it', () => {
    expect(redact({ body: Buffer.alloc(2048) })).toEqual({ body: '[2048 bytes]' });
  });
});
