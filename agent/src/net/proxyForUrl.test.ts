import { describe, expect, it } from 'vitest';
import { AgentError } from '../AgentError.ts';
import { matchesNoProxy } from './matchesNoProxy.ts';
import { proxyForUrl } from './proxyForUrl.ts';

const wss = new URL('wss://cloud.example.com/api/v1/tunnel');
const ws = new URL('ws://cloud.example.com:8080/api/v1/tunnel');

describe('proxyForUrl', () => {
  it('takes HTTPS_PROXY for secure targets and HTTP_PROXY for plain ones', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128' };
    expect(proxyForUrl(wss, env)?.host).toBe('secure:3128');
    expect(proxyForUrl(ws, env)?.host).toBe('plain:3128');
  });

  it('falls back to HTTP_PROXY for secure targets, and reads lower-case names', () => {
    expect(proxyForUrl(wss, { http_proxy: 'proxy:8080' })?.href).toBe('http://proxy:8080/');
    expect(proxyForUrl(wss, { https_proxy: 'http://lower:1' })?.host).toBe('lower:1');
    expect(proxyForUrl(ws, { HTTPS_PROXY: 'http://secure:1' })).toBeUndefined();
    expect(proxyForUrl(wss, {})).toBeUndefined();
  });

  it('goes direct for hosts NO_PROXY names', () => {
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost, .example.com' };
    expect(proxyForUrl(wss, env)).toBeUndefined();
    expect(proxyForUrl(new URL('wss://other.org'), env)?.host).toBe('p:1');
  });

  it('refuses a proxy that is not http(s)', () => {
    expect(() => proxyForUrl(wss, { HTTPS_PROXY: 'socks5://p:1080' })).toThrow(AgentError);
  });
});

describe('matchesNoProxy', () => {
  it('matches names, subdomains, IPs, CIDR ranges, ports and *', () => {
    expect(matchesNoProxy('cloud.example.com', 443, 'example.com')).toBe(true);
    expect(matchesNoProxy('cloud.example.com', 443, '*.example.com')).toBe(true);
    expect(matchesNoProxy('badexample.com', 443, 'example.com')).toBe(false);
    expect(matchesNoProxy('10.1.2.3', 443, '10.0.0.0/8')).toBe(true);
    expect(matchesNoProxy('11.1.2.3', 443, '10.0.0.0/8')).toBe(false);
    expect(matchesNoProxy('127.0.0.1', 443, '127.0.0.1')).toBe(true);
    expect(matchesNoProxy('[::1]', 443, '::1')).toBe(true);
    expect(matchesNoProxy('host', 443, 'host:8443')).toBe(false);
    expect(matchesNoProxy('host', 8443, 'host:8443')).toBe(true);
    expect(matchesNoProxy('anything', 1, '*')).toBe(true);
    expect(matchesNoProxy('anything', 1, '')).toBe(false);
  });
});
