import { AgentError } from '../AgentError.ts';
import { matchesNoProxy } from './matchesNoProxy.ts';

/**
 * The proxy to reach `target` through, from the environment, or undefined for a direct
 * connection. Secure targets (https, wss) use HTTPS_PROXY / https_proxy and fall back to
 * HTTP_PROXY / http_proxy, since many networks set only that; plain ones use HTTP_PROXY /
 * http_proxy. NO_PROXY / no_proxy exempts hosts (see matchesNoProxy).
 */
export function proxyForUrl(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const names = secure
    ? ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
    : ['HTTP_PROXY', 'http_proxy'];
  const name = names.find((candidate) => (env[candidate] ?? '').trim() !== '');
  if (name === undefined) return undefined;

  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  const port = Number(target.port) || (secure ? 443 : 80);
  if (matchesNoProxy(target.hostname, port, noProxy)) return undefined;

  return parseProxy(name, (env[name] ?? '').trim());
}

function parseProxy(name: string, value: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AgentError('proxy_invalid', `${name} is not a URL; expected http://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AgentError(
      'proxy_invalid',
      `${name} uses ${url.protocol}, expected an http:// or https:// proxy (CONNECT)`,
    );
  }
  return url;
}
