import { describe, expect, it } from 'vitest';
import { encodeFrame } from './chunking.ts';
import { FrameReader } from './FrameReader.ts';
import { agentFrameSchema, cloudFrameSchema } from './frames.ts';
import { maxAssembledFrameBytes, maxFrameBytes } from './limits.ts';
import { encodeStreamData } from './streamData.ts';

const ping = { type: 'ping', sentAtMs: 1 } as const;

describe('FrameReader', () => {
  it('reads a valid frame', () => {
    const result = new FrameReader(agentFrameSchema).read(JSON.stringify(ping), false);
    expect(result).toEqual({ kind: 'frame', frame: ping });
  });

  it('refuses a message larger than maxFrameBytes before parsing it', () => {
    const result = new FrameReader(agentFrameSchema).read('x'.repeat(maxFrameBytes + 1), false);
    expect(result).toMatchObject({ kind: 'error', reason: 'frame_too_large' });
  });

  it('refuses text that is not JSON', () => {
    const result = new FrameReader(agentFrameSchema).read('{"type":', false);
    expect(result).toEqual({
      kind: 'error',
      reason: 'bad_frame',
      message: 'a text message must be JSON',
    });
  });

  it('refuses a frame the sending side may not send, naming its type', () => {
    const hello = {
      type: 'hello',
      versions: [1],
      connectionId: 'c',
      challenge: 'x',
      serverTimeMs: 0,
    };
    const result = new FrameReader(agentFrameSchema).read(JSON.stringify(hello), false);
    expect(result).toMatchObject({ kind: 'error', reason: 'bad_frame' });
    expect((result as { message: string }).message).toMatch(/^frame "hello" is not valid/);
  });

  it('refuses a frame with a field of the wrong type, naming the field', () => {
    const result = new FrameReader(agentFrameSchema).read(
      '{"type":"ping","sentAtMs":"soon"}',
      false,
    );
    expect((result as { message: string }).message).toMatch(/at sentAtMs/);
  });

  it('reads binary stream data with its stream id', () => {
    const message = encodeStreamData(7, new Uint8Array([1, 2, 3]));
    const result = new FrameReader(cloudFrameSchema).read(message, true);
    expect(result).toMatchObject({ kind: 'data', streamId: 7 });
    expect([...(result as { bytes: Buffer }).bytes]).toEqual([1, 2, 3]);
  });

  it('refuses binary messages that are not stream data', () => {
    const result = new FrameReader(cloudFrameSchema).read(Buffer.from([9, 0, 0, 0, 1]), true);
    expect(result).toMatchObject({ kind: 'error', reason: 'bad_frame' });
  });

  it('puts a chunked frame back together', () => {
    const payload = 'é'.repeat(maxFrameBytes);
    const frame = {
      type: 'job',
      job: { id: 'j', seq: 1, kind: 'noop', params: { payload }, timeoutMs: 1, issuedAtMs: 0 },
    };
    const messages = encodeFrame(frame);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages)
      expect(Buffer.byteLength(message)).toBeLessThanOrEqual(maxFrameBytes);

    const reader = new FrameReader(cloudFrameSchema);
    const results = messages.map((message) => reader.read(message, false));
    expect(results.slice(0, -1).every((result) => result.kind === 'pending')).toBe(true);
    expect(results.at(-1)).toEqual({ kind: 'frame', frame });
  });

  it('refuses chunks out of order', () => {
    const padded = { type: 'ping', sentAtMs: 1, pad: 'x'.repeat(maxFrameBytes) };
    const messages = encodeFrame(padded);
    const reader = new FrameReader(agentFrameSchema);
    expect(reader.read(messages[1] as string, false)).toMatchObject({
      kind: 'error',
      reason: 'bad_frame',
    });
  });

  it('refuses chunks that add up to more than maxAssembledFrameBytes', () => {
    const reader = new FrameReader(agentFrameSchema);
    const piece = 'x'.repeat(700 * 1024);
    const count = Math.ceil(maxAssembledFrameBytes / piece.length) + 1;
    let last: unknown;
    for (let index = 0; index < count; index++) {
      last = reader.read(
        JSON.stringify({ type: 'chunk', chunkId: 'c', index, count, text: piece }),
        false,
      );
      if ((last as { kind: string }).kind === 'error') break;
    }
    expect(last).toMatchObject({ kind: 'error', reason: 'frame_too_large' });
  });
});
