import { describe, expect, it } from 'vitest';
import { streamChunkBytes } from './limits.ts';
import { StreamInbox } from './StreamInbox.ts';

function inbox(windowBytes = 4 * streamChunkBytes) {
  const granted: number[] = [];
  const cancelled: unknown[] = [];
  const box = new StreamInbox({
    grantCredit: (bytes) => granted.push(bytes),
    cancelled: (reason) => cancelled.push(reason),
    windowBytes,
  });
  return { box, granted, cancelled };
}

describe('StreamInbox', () => {
  it('hands bytes over in order and ends after the last', async () => {
    const { box } = inbox();
    box.push(new Uint8Array([1, 2]));
    box.push(new Uint8Array([3]));
    box.end();

    const body = new Uint8Array(await new Response(box.body).arrayBuffer());

    expect([...body]).toEqual([1, 2, 3]);
  });

  it('grants credit in chunk-sized steps as the reader takes bytes, not as they arrive', async () => {
    const { box, granted } = inbox();
    const half = new Uint8Array(streamChunkBytes / 2);
    for (let index = 0; index < 4; index++) box.push(half);
    expect(granted).toEqual([]);
    expect(box.bufferedBytes).toBe(2 * streamChunkBytes);

    const reader = box.body.getReader();
    await reader.read();
    expect(granted).toEqual([]);
    await reader.read();

    expect(granted).toEqual([streamChunkBytes]);
    expect(box.bufferedBytes).toBe(streamChunkBytes);
  });

  it('refuses bytes beyond the credit the sender has', () => {
    const { box } = inbox(streamChunkBytes);

    expect(box.push(new Uint8Array(streamChunkBytes))).toBe(true);
    expect(box.push(new Uint8Array(1))).toBe(false);
    expect(box.receivedBytes).toBe(streamChunkBytes);
  });

  it('errors the reader with the failure, dropping what was queued', async () => {
    const { box } = inbox();
    box.push(new Uint8Array(10));
    const failure = new TypeError('agent gone');

    box.fail(failure);

    await expect(box.body.getReader().read()).rejects.toBe(failure);
    expect(box.bufferedBytes).toBe(0);
  });

  it('tells the sender to stop when the reader cancels', async () => {
    const { box, cancelled } = inbox();
    box.push(new Uint8Array(10));

    await box.body.cancel('not needed');

    expect(cancelled).toEqual(['not needed']);
    expect(box.bufferedBytes).toBe(0);
  });
});
