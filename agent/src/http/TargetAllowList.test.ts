import { describe, expect, it } from 'vitest';
import { TargetAllowList } from './TargetAllowList.ts';

function allowList(...bases: string[]): TargetAllowList {
  const { list, rejected } = TargetAllowList.parse(bases);
  expect(rejected).toEqual([]);
  return list;
}

describe('TargetAllowList', () => {
  const list = allowList('https://nautobot.example.net/nautobot', 'http://10.0.0.5:8080/');

  it.each([
    'https://nautobot.example.net/nautobot',
    'https://nautobot.example.net/nautobot/',
    'https://nautobot.example.net/nautobot/api/dcim/devices/?limit=1000&offset=0',
    'https://NAUTOBOT.example.net:443/nautobot/api/',
    'https://nautobot.example.net/nautobot/api/./dcim/',
    'https://nautobot.example.net/nautobot/api/../status/',
    'http://10.0.0.5:8080/anything',
  ])('allows %s', (url) => {
    expect(list.check(url)).toMatchObject({ allowed: true });
  });

  it.each([
    ['a sibling path', 'https://nautobot.example.net/nautobotx/api/'],
    ['a parent path', 'https://nautobot.example.net/'],
    ['a `..` out of the base', 'https://nautobot.example.net/nautobot/../admin/'],
    ['an encoded `..` out of the base', 'https://nautobot.example.net/nautobot/%2E%2e/admin/'],
    ['a half-encoded `..`', 'https://nautobot.example.net/nautobot/.%2e/admin/'],
    ['an encoded slash', 'https://nautobot.example.net/nautobot/..%2Fadmin/'],
    ['an encoded backslash', 'https://nautobot.example.net/nautobot/..%5cadmin/'],
    ['a backslash `..`', 'https://nautobot.example.net/nautobot\\..\\admin/'],
    ['another scheme', 'http://nautobot.example.net/nautobot/api/'],
    ['another port', 'https://nautobot.example.net:8443/nautobot/api/'],
    ['the default port of the other scheme', 'http://10.0.0.5/anything'],
    ['another host', 'https://nautobot.example.net.evil.example/nautobot/api/'],
    ['credentials', 'https://user:pw@nautobot.example.net/nautobot/api/'],
    ['a user name alone', 'http://user@10.0.0.5:8080/'],
    ['a file URL', 'file:///etc/passwd'],
    ['a relative URL', '/nautobot/api/'],
  ])('refuses %s', (_name, url) => {
    const check = list.check(url);
    expect(check.allowed).toBe(false);
    if (!check.allowed) expect(check.message).toMatch(/target not allowed|not an absolute URL/);
  });

  it('names the origin and the allowed bases in a refusal, never the query', () => {
    const check = list.check('https://other.example/api/?token=abc');

    expect(check).toEqual({
      allowed: false,
      message:
        'target not allowed: https://other.example/api/ is not under a base URL registered for ' +
        'this agent; allowed: https://nautobot.example.net/nautobot, http://10.0.0.5:8080/',
    });
  });

  it('refuses everything before any targets arrive', () => {
    const check = TargetAllowList.empty().check('http://10.0.0.5:8080/');

    expect(check).toMatchObject({ allowed: false });
    if (!check.allowed) expect(check.message).toContain('registered no targets');
  });

  it('rejects bases that could widen the list: other schemes, credentials, queries', () => {
    const { list: parsed, rejected } = TargetAllowList.parse([
      'ftp://files.example/',
      'http://u:p@nautobot.example/',
      'http://nautobot.example/?x=1',
      'not a url',
      'http://ok.example/api/',
    ]);

    expect(rejected).toHaveLength(4);
    expect(parsed.bases.map((base) => base.href)).toEqual(['http://ok.example/api/']);
  });

  it('allows a whole origin when the base path is /', () => {
    const root = allowList('http://[::1]:8000/');

    expect(root.check('http://[::1]:8000/api/')).toMatchObject({ allowed: true });
    expect(root.check('http://[::1]:8001/api/')).toMatchObject({ allowed: false });
  });
});
