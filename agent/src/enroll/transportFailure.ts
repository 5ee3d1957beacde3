import { AgentError } from '../AgentError.ts';

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** Turns a failed request into "cannot reach" or "TLS failed", with the code that said so. */
export function transportFailure(error: unknown, url: string): AgentError {
  const code = innermostCode(error);
  if (code !== undefined && isTlsCode(code)) {
    return new AgentError(
      'tls_failed',
      `TLS with ${url} failed (${code}): the certificate is not trusted or does not match. ` +
        'If a private CA or a TLS-inspecting proxy signs it, pass its PEM with --ca-file',
      { cause: error },
    );
  }
  const shown = code ?? (error as Error)?.message ?? String(error);
  const hint = unreachableCodes.has(code ?? '')
    ? 'check --cloud, DNS, firewalls and HTTPS_PROXY'
    : 'check --cloud and the network';
  return new AgentError('cloud_unreachable', `cannot reach ${url} (${shown}); ${hint}`, {
    cause: error,
  });
}

function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL');
}

function innermostCode(error: unknown): string | undefined {
  let found: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') found = code;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
