import { describe, expect, it } from 'vitest';
import { NautobotError } from './NautobotError.ts';
import { resolveOptions } from './resolveOptions.ts';

const token = '0123456789abcdef0123456789abcdef01234567';

function refusal(baseUrl: string, key = token): NautobotError {
  try {
    resolveOptions({ baseUrl, token: key });
  } catch (error) {
    if (error instanceof NautobotError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('resolveOptions', () => {
  it('keeps a path prefix and drops the trailing slash from the origin shown', () => {
    const { transport } = resolveOptions({ baseUrl: 'https://nb.example.net/nautobot/', token });

    expect(transport.origin).toBe('https://nb.example.net/nautobot');
  });

  it('refuses a URL with a password without repeating it', () => {
    const error = refusal('https://admin:hunter2@nb.example.net');

    expect(error.code).toBe('invalid_base_url');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toBe(
      'the base URL cannot be a Nautobot address: it holds a user name or password. Expected ' +
        'http(s)://host[:port][/path], the address of its web interface (the token goes in ' +
        'the token field)',
    );
  });

  it('refuses other schemes and non-URLs', () => {
    expect(refusal('ftp://nb.example.net').message).toContain('its scheme is ftp');
    expect(refusal('nb.example.net').message).toContain('it is not a URL');
  });

  it('refuses a token with a space as token_rejected, without echoing it', () => {
    const error = refusal('https://nb.example.net', `${token} `);

    expect(error.code).toBe('token_rejected');
    expect(error.message).not.toContain(token);
  });

  it('takes the documented defaults', () => {
    const resolved = resolveOptions({ baseUrl: 'http://127.0.0.1:8480', token });

    expect(resolved).toMatchObject({ pageSize: undefined, maxParallelPages: 4 });
    expect(resolved.transport).toMatchObject({
      requestTimeoutMs: 120_000,
      retries: 4,
      maxResponseBytes: 64 * 2 ** 20,
    });
  });

  it('throws a RangeError for a nonsensical number', () => {
    expect(() =>
      resolveOptions({ baseUrl: 'http://127.0.0.1:8480', token, maxParallelPages: 0 }),
    ).toThrow(RangeError);
  });
});
