import { AgentError } from '../AgentError.ts';

/** The cloud's base URL without a trailing slash, query or fragment; http or https only. */
export function normalizeCloudUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AgentError(
      'bad_cloud_url',
      `--cloud "${text.slice(0, 200)}" is not a URL; expected https://cloud.example.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AgentError(
      'bad_cloud_url',
      `--cloud uses ${url.protocol}, expected https:// (or http:// for a local test cloud)`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new AgentError('bad_cloud_url', '--cloud must not carry a user name or password');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
