import { NautobotError } from './NautobotError.ts';

/** The connection broke under an answer; uWSGI does this now and then ("other side closed"). */
const lostCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);

/** OpenSSL's certificate and handshake failures as Node reports them. */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.includes('CERT') ||
    code === 'EPROTO' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  );
}

export interface TransportFailure {
  error: NautobotError;
  /** True when the same GET may be sent again. */
  retryable: boolean;
}

/**
 * Turns what a fetch threw (undici hides the reason in `cause`) into a NautobotError: TLS
 * failures, connections broken under an answer (retryable), and everything else, such as a
 * refused connection or an unknown host, as unreachable (retrying at once rarely helps).
 * Timeouts and cancellation are decided by the caller, which knows which signal fired.
 */
export function transportError(error: unknown, request: string, origin: string): TransportFailure {
  if (error instanceof NautobotError) return { error, retryable: false };
  const { codes, messages } = causeChain(error);
  const reason = messages.join(': ') || String(error);
  const details = { request };

  if (codes.includes('transport_unavailable')) {
    const message = `${request} to ${origin}: not sent: ${reason}`;
    return {
      error: new NautobotError('transport_unavailable', message, details, { cause: error }),
      retryable: false,
    };
  }
  if (codes.some(isTlsCode)) {
    const message =
      `${request} to ${origin}: TLS failed (${reason}); expected a certificate this machine ` +
      'trusts for that name: install the CA that signed it (NODE_EXTRA_CA_CERTS) or fix the URL';
    return {
      error: new NautobotError('tls_failed', message, details, { cause: error }),
      retryable: false,
    };
  }
  if (codes.some((code) => lostCodes.has(code)) || /other side closed/i.test(reason)) {
    const message =
      `${request} to ${origin}: the connection was closed before the answer was complete ` +
      `(${reason}); check the server and any proxy in between, then try again`;
    return {
      error: new NautobotError('connection_lost', message, details, { cause: error }),
      retryable: true,
    };
  }
  const message =
    `${request}: could not reach ${origin} (${reason}); expected Nautobot listening there: ` +
    'check the URL, that Nautobot runs, and any firewall or proxy in between';
  return {
    error: new NautobotError('unreachable', message, details, { cause: error }),
    retryable: false,
  };
}

function causeChain(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current.message !== '' && current.message !== 'fetch failed') {
      messages.push(current.message);
    }
    current = current.cause;
  }
  return { codes, messages };
}
