import type { z } from 'zod';
import { ChunkAssembler } from './chunking.ts';
import type { CloseReason } from './closeReasons.ts';
import { maxFrameBytes } from './limits.ts';
import { decodeStreamData } from './streamData.ts';

export type ReadResult<F> =
  | { kind: 'frame'; frame: F }
  | { kind: 'data'; streamId: number; bytes: Buffer }
  /** A chunk was taken; the frame it belongs to is not complete yet. */
  | { kind: 'pending' }
  /** Close the connection with this reason; nothing from the message may be used. */
  | { kind: 'error'; reason: CloseReason; message: string };

/**
 * The door for every WebSocket message from the peer: size, then JSON, then the zod schema of
 * what that peer may send. Chunks are reassembled here, so callers only see whole frames.
 */
export class FrameReader<S extends z.ZodType<{ type: string }>> {
  private readonly schema: S;
  private readonly chunks = new ChunkAssembler();

  constructor(schema: S) {
    this.schema = schema;
  }

  read(message: Buffer | string, isBinary: boolean): ReadResult<z.infer<S>> {
    const bytes = typeof message === 'string' ? Buffer.byteLength(message) : message.byteLength;
    if (bytes > maxFrameBytes) {
      return fail('frame_too_large', `a message of ${bytes} bytes is above ${maxFrameBytes}`);
    }
    if (isBinary) {
      const data = decodeStreamData(typeof message === 'string' ? Buffer.from(message) : message);
      if (!data.ok) return fail('bad_frame', data.message);
      return { kind: 'data', streamId: data.streamId, bytes: data.bytes };
    }
    return this.parseText(typeof message === 'string' ? message : message.toString('utf8'));
  }

  private parseText(text: string): ReadResult<z.infer<S>> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail('bad_frame', 'a text message must be JSON');
    }
    if (isChunk(json)) return this.addChunk(json);
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) {
      const type =
        typeof (json as { type?: unknown })?.type === 'string'
          ? (json as { type: string }).type
          : '?';
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return fail(
        'bad_frame',
        `frame "${type.slice(0, 40)}" is not valid${where}: ${issue?.message}`,
      );
    }
    return { kind: 'frame', frame: parsed.data };
  }

  private addChunk(chunk: ChunkShape): ReadResult<z.infer<S>> {
    const result = this.chunks.add(chunk);
    if (result.state === 'pending') return { kind: 'pending' };
    if (result.state === 'error') {
      return fail(result.tooLarge ? 'frame_too_large' : 'bad_frame', result.message);
    }
    const whole = this.parseText(result.text);
    if (whole.kind === 'pending') return fail('bad_frame', 'a chunked frame held chunks');
    return whole;
  }
}

interface ChunkShape {
  type: 'chunk';
  chunkId: string;
  index: number;
  count: number;
  text: string;
}

function isChunk(json: unknown): json is ChunkShape {
  if (typeof json !== 'object' || json === null) return false;
  const value = json as Record<string, unknown>;
  return (
    value.type === 'chunk' &&
    typeof value.chunkId === 'string' &&
    value.chunkId.length > 0 &&
    value.chunkId.length <= 128 &&
    Number.isInteger(value.index) &&
    (value.index as number) >= 0 &&
    Number.isInteger(value.count) &&
    (value.count as number) > 0 &&
    (value.count as number) <= 100_000 &&
    typeof value.text === 'string'
  );
}

function fail(
  reason: CloseReason,
  message: string,
): { kind: 'error'; reason: CloseReason; message: string } {
  return { kind: 'error', reason, message };
}
