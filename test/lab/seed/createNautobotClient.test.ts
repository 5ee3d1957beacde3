import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createNautobotClient } from './createNautobotClient.js';

const token = '0'.repeat(40);

function recordingFetch(status: number, body: string) {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    requests.push({ url: String(input), init });
    return new Response(body, { status });
  };
  return { fetchFn, requests };
}

describe('createNautobotClient', () => {
  it('sends the token, the pinned API version and closes each connection', async () => {
    const { fetchFn, requests } = recordingFetch(200, '{"count":3}');
    const client = createNautobotClient({ url: 'http://nb.test/', token, fetch: fetchFn });

    const page = await client.get(
      '/api/dcim/devices/',
      { limit: '1' },
      z.object({ count: z.number() }),
    );

    expect(page).toEqual({ count: 3 });
    expect(requests[0]?.url).toBe('http://nb.test/api/dcim/devices/?limit=1');
    expect(requests[0]?.init?.headers).toMatchObject({
      Authorization: `Token ${token}`,
      Accept: 'application/json; version=3.2',
      Connection: 'close',
    });
  });

  it('posts JSON and names the endpoint when the body does not match the schema', async () => {
    const { fetchFn, requests } = recordingFetch(201, '[{"id":"not-a-uuid"}]');
    const client = createNautobotClient({ url: 'http://nb.test', token, fetch: fetchFn });

    const posting = client.post(
      '/api/extras/tags/',
      [{ name: 'a' }],
      z.array(z.object({ id: z.uuid() })),
    );

    await expect(posting).rejects.toThrow(
      /^POST \/api\/extras\/tags\/ returned an unexpected body: 0\.id: /,
    );
    expect(requests[0]?.init?.body).toBe('[{"name":"a"}]');
  });

  it('quotes a non-JSON error page, clipped, and never the token', async () => {
    const { fetchFn } = recordingFetch(502, `<html>${'x'.repeat(5000)}</html>`);
    const client = createNautobotClient({ url: 'http://nb.test', token, fetch: fetchFn });

    const failure = client.patch('/api/dcim/devices/', [{ id: 'a' }], z.unknown());

    await expect(failure).rejects.toThrow(/^PATCH \/api\/dcim\/devices\/ returned 502: <html>x+…$/);
    const message = await failure.then(String, (error: Error) => error.message);
    expect(message.length).toBeLessThan(2100);
    expect(message).not.toContain(token);
  });
});
