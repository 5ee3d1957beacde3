import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { outboundOptions } from '../net/outboundOptions.ts';
import type { FetchFunction } from './FetchFunction.ts';

const maxAnswerBytes = 64 * 1024;

/**
 * A fetch over node:http(s), so enrollment goes through the same CONNECT proxy and extra CA
 * as the tunnel (Node's built-in fetch takes neither). Reads at most 64 KiB of the answer:
 * enrollment answers are small, and a larger one is cut and then fails validation.
 */
export function nodeFetch(settings: {
  caFile?: string | undefined;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): FetchFunction {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const { agent, ca, checkServerIdentity } = outboundOptions(target, settings);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(target, {
        method: init.method,
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
        timeout: settings.timeoutMs ?? 30_000,
        ...(agent ? { agent } : {}),
        ...(ca ? { ca } : {}),
        ...(checkServerIdentity ? { checkServerIdentity } : {}),
      });
      request.on('timeout', () =>
        request.destroy(
          Object.assign(new Error('timed out'), {
            code: 'ETIMEDOUT',
          }),
        ),
      );
      request.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
          if (bytes <= maxAnswerBytes) chunks.push(chunk);
          else response.destroy();
        });
        const finish = () =>
          resolve(
            new Response(Buffer.concat(chunks), {
              status: response.statusCode ?? 500,
              headers: { 'content-type': String(response.headers['content-type'] ?? '') },
            }),
          );
        response.on('end', finish);
        response.on('close', finish);
      });
      request.end(init.body);
    });
}
