import { describe, expect, it } from 'vitest';
import { readBoundedBody } from './readBoundedBody.ts';

function streamed(chunks: string[], headers: Record<string, string> = {}) {
  const encoder = new TextEncoder();
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(body, { headers }), wasCancelled: () => cancelled };
}

describe('readBoundedBody', () => {
  it('reads a body below the bound whole', async () => {
    const { response } = streamed(['{"count":', '3}']);

    expect(await readBoundedBody(response, 100)).toEqual({ text: '{"count":3}', truncated: false });
  });

  it('cuts at the bound and cancels the rest of the stream', async () => {
    const { response, wasCancelled } = streamed(['0123456789', 'abcdefghij', 'never read']);

    const body = await readBoundedBody(response, 15);

    expect(body).toEqual({ text: '0123456789abcde', truncated: true });
    expect(wasCancelled()).toBe(true);
  });

  it('refuses a declared Content-Length above the bound before reading', async () => {
    const { response, wasCancelled } = streamed(['x'], { 'content-length': '5000' });

    expect(await readBoundedBody(response, 1000)).toEqual({ text: '', truncated: true });
    expect(wasCancelled()).toBe(true);
  });

  it('keeps a multi-byte character split across chunks', async () => {
    const bytes = new TextEncoder().encode('Zürich');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 2));
        controller.enqueue(bytes.subarray(2));
        controller.close();
      },
    });

    expect((await readBoundedBody(new Response(body), 100)).text).toBe('Zürich');
  });
});
