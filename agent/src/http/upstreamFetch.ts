import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * The fetch the forwarder sends with: undici's, with an extra CA bundle (PEM) trusted beside
 * the system's when `caFile` is given, for Nautobot behind an internal CA.
 */
// undici's fetch is typed with undici's own Request and Response classes; at run time they are
// the classes of Node's global fetch (the same web streams), hence the casts below.
export function upstreamFetch(caFile: string | undefined): typeof fetch {
  if (caFile === undefined) return undiciFetch as unknown as typeof fetch;
  const extra = readFileSync(caFile, 'utf8');
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, extra] } });
  const withCa = (
    input: Parameters<typeof undiciFetch>[0],
    init?: Parameters<typeof undiciFetch>[1],
  ) => undiciFetch(input, { ...init, dispatcher });
  return withCa as unknown as typeof fetch;
}
