import { describe, expect, it } from 'vitest';
import { forwardableHeaders } from './forwardableHeaders.ts';

describe('forwardableHeaders', () => {
  it('drops hop-by-hop headers, the ones Connection names, and Host', () => {
    const headers = forwardableHeaders([
      ['Connection', 'keep-alive, X-Session-Hop'],
      ['Keep-Alive', 'timeout=5'],
      ['Transfer-Encoding', 'chunked'],
      ['TE', 'trailers'],
      ['Upgrade', 'websocket'],
      ['Proxy-Authorization', 'Basic abc'],
      ['Host', 'evil.example'],
      ['x-session-hop', '1'],
      ['Authorization', 'Token abc'],
      ['Accept', 'application/json'],
    ]);

    expect(headers).toEqual([
      ['authorization', 'Token abc'],
      ['accept', 'application/json'],
    ]);
  });

  it('keeps repeated headers in order and drops the extra names asked for', () => {
    const headers = forwardableHeaders(
      [
        ['set-cookie', 'a=1'],
        ['content-length', '10'],
        ['set-cookie', 'b=2'],
      ],
      new Set(['content-length']),
    );

    expect(headers).toEqual([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
  });
});
