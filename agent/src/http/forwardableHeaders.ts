/** Headers about one connection, not the message: never forwarded (RFC 9110 §7.6.1). */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/**
 * The headers to pass on: without hop-by-hop headers, those the `Connection` header names,
 * and any named in `drop` (lower case).
 */
export function forwardableHeaders(
  headers: Iterable<readonly [string, string]>,
  drop: ReadonlySet<string> = new Set(),
): [string, string][] {
  const pairs = [...headers].map(([name, value]): [string, string] => [name.toLowerCase(), value]);
  const named = new Set<string>();
  for (const [name, value] of pairs) {
    if (name !== 'connection') continue;
    for (const token of value.split(',')) named.add(token.trim().toLowerCase());
  }
  return pairs.filter(([name]) => !hopByHop.has(name) && !named.has(name) && !drop.has(name));
}
