import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { CaFileError } from './CaFileError.ts';

/**
 * The fetch the forwarder sends with: undici's, with an extra CA bundle (PEM) trusted beside
 * the system's when `caFile` is given, for Nautobot behind an internal CA.
 */
// undici's fetch is typed with undici's own Request and Response classes; at run time they are
// the classes of Node's global fetch (the same web streams), hence the casts below.
export function upstreamFetch(caFile: string | undefined): typeof fetch {
  if (caFile === undefined) return undiciFetch as unknown as typeof fetch;
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, readCaFile(caFile)] } });
  const withCa = (
    input: Parameters<typeof undiciFetch>[0],
    init?: Parameters<typeof undiciFetch>[1],
  ) => undiciFetch(input, { ...init, dispatcher });
  return withCa as unknown as typeof fetch;
}

function readCaFile(caFile: string): string {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CaFileError(
      `the extra CA bundle ${caFile} cannot be read (${code}): give a readable PEM file, ` +
        'or leave the CA file unset to trust the system CAs only',
      { cause: error },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CaFileError(
      `the extra CA bundle ${caFile} holds no PEM certificate (expected ` +
        '"-----BEGIN CERTIFICATE-----" blocks)',
    );
  }
  return pem;
}
