import { z } from 'zod';
import { DemoError } from './DemoError.ts';

/** Largest answer the demo reads from its own cloud; the pages it asks for are far smaller. */
const maxAnswerBytes = 4 * 1024 * 1024;

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * The cloud's HTTP API inside one tenant, as its admin calls it with an API token: the demo
 * sets itself up through the routes a person would use, not through the store.
 */
export class DemoApi {
  constructor(
    private readonly cloudUrl: string,
    private readonly tenantSlug: string,
    private readonly apiToken: string,
  ) {}

  /** Sends a request below `/api/v1/tenants/<slug>` and parses a 2xx answer with `schema`. */
  async call<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.output<T>> {
    const { status, json } = await this.send(method, path, body);
    if (status >= 200 && status < 300) return schema.parse(json);
    const parsed = errorBodySchema.safeParse(json);
    const detail = parsed.success
      ? `${parsed.data.error.code}: ${parsed.data.error.message}`
      : JSON.stringify(json).slice(0, 300);
    throw new DemoError('cloud_refused', `${method} ${path} answered ${status} ${detail}`);
  }

  /** The status and parsed JSON, for callers that handle a non-2xx status themselves. */
  async send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const url = `${this.cloudUrl}/api/v1/tenants/${this.tenantSlug}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${this.apiToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await readBounded(response, `${method} ${path}`);
    return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
  }
}

/** Reads a body up to `maxAnswerBytes`, and throws past it. */
async function readBounded(response: Response, what: string): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    if (bytes > maxAnswerBytes) {
      // Leaving the loop by a throw cancels the stream: nothing more is read.
      throw new Error(`${what}: expected an answer of at most ${maxAnswerBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
