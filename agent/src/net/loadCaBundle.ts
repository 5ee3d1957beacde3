import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { AgentError } from '../AgentError.ts';

const maxCaFileBytes = 4 * 1024 * 1024;

/**
 * Node's default roots plus the PEM certificates in `caFile` (for a private cloud CA or a
 * TLS-inspecting proxy). Passing `ca` replaces the defaults, so they are added back here.
 */
export function loadCaBundle(caFile: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new AgentError(
      'ca_file_invalid',
      `cannot read the CA file ${caFile}: ${(error as Error).message}`,
    );
  }
  if (pem.length > maxCaFileBytes || !pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new AgentError(
      'ca_file_invalid',
      `${caFile} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----" blocks, ` +
        `under ${maxCaFileBytes} bytes)`,
    );
  }
  return [...rootCertificates, pem];
}
