import type { Agent } from 'node:http';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { loadCaBundle } from './loadCaBundle.ts';
import { proxyForUrl } from './proxyForUrl.ts';

/** What an outbound request to the cloud needs: a CONNECT proxy agent and the CA roots. */
export interface OutboundOptions {
  agent?: Agent;
  ca?: string[];
  /** The proxy in use, without credentials, for logs. */
  proxy?: string;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
}

export function outboundOptions(
  target: URL,
  settings: { caFile?: string | undefined; env: NodeJS.ProcessEnv },
): OutboundOptions {
  const options: OutboundOptions = {};
  if (settings.caFile !== undefined) options.ca = loadCaBundle(settings.caFile);
  const proxy = proxyForUrl(target, settings.env);
  if (proxy !== undefined) {
    // https-proxy-agent always tunnels with CONNECT, for plain and TLS targets alike, and
    // passes `ca` on to the TLS handshake with the target it opens inside the tunnel.
    options.agent = new HttpsProxyAgent(proxy, options.ca ? { ca: options.ca } : {});
    options.proxy = `${proxy.protocol}//${proxy.host}`;
    // https-proxy-agent drops `host` before the TLS handshake inside the tunnel, so for an IP
    // target Node would check the certificate against "localhost": check the real name.
    options.checkServerIdentity = (_host, cert) =>
      checkServerIdentity(target.hostname.replace(/^\[|\]$/g, ''), cert);
  }
  return options;
}
