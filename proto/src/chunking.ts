import { randomUUID } from 'node:crypto';
import { chunkTextChars, maxAssembledFrameBytes, maxFrameBytes } from './limits.ts';

/**
 * The WebSocket messages that carry `frame`: one, or several `chunk` frames when its JSON is
 * above `maxFrameBytes`. Send them in order, back to back: the reader accepts no interleaving.
 */
export function encodeFrame(frame: { type: string }): string[] {
  const text = JSON.stringify(frame);
  if (Buffer.byteLength(text) <= maxFrameBytes) return [text];
  if (Buffer.byteLength(text) > maxAssembledFrameBytes) {
    throw new RangeError(
      `a ${frame.type} frame of ${Buffer.byteLength(text)} bytes is above the ` +
        `${maxAssembledFrameBytes}-byte limit for one frame, even in chunks`,
    );
  }
  const chunkId = randomUUID();
  const count = Math.ceil(text.length / chunkTextChars);
  const messages: string[] = [];
  for (let index = 0; index < count; index++) {
    const piece = text.slice(index * chunkTextChars, (index + 1) * chunkTextChars);
    messages.push(JSON.stringify({ type: 'chunk', chunkId, index, count, text: piece }));
  }
  return messages;
}

export interface Chunk {
  chunkId: string;
  index: number;
  count: number;
  text: string;
}

export type AssembleResult =
  | { state: 'pending' }
  | { state: 'complete'; text: string }
  | { state: 'error'; tooLarge: boolean; message: string };

/** Puts chunked frames back together, one at a time, within `maxAssembledFrameBytes`. */
export class ChunkAssembler {
  private current: { chunkId: string; count: number; next: number; pieces: string[] } | undefined;
  private bytes = 0;

  add(chunk: Chunk): AssembleResult {
    const current = this.current;
    if (chunk.index === 0) {
      if (current)
        return this.fail(false, `chunk ${chunk.chunkId} began inside ${current.chunkId}`);
      this.current = { chunkId: chunk.chunkId, count: chunk.count, next: 0, pieces: [] };
      this.bytes = 0;
    }
    const open = this.current;
    if (!open || open.chunkId !== chunk.chunkId || open.next !== chunk.index) {
      return this.fail(false, `chunk ${chunk.index} of ${chunk.chunkId} arrived out of order`);
    }
    if (chunk.count !== open.count || chunk.index >= chunk.count) {
      return this.fail(false, `chunk ${chunk.index} of ${chunk.chunkId} has a wrong count`);
    }
    this.bytes += Buffer.byteLength(chunk.text);
    if (this.bytes > maxAssembledFrameBytes) {
      return this.fail(true, `chunks of ${chunk.chunkId} exceed ${maxAssembledFrameBytes} bytes`);
    }
    open.pieces.push(chunk.text);
    open.next++;
    if (open.next < open.count) return { state: 'pending' };
    this.current = undefined;
    return { state: 'complete', text: open.pieces.join('') };
  }

  private fail(tooLarge: boolean, message: string): AssembleResult {
    this.current = undefined;
    return { state: 'error', tooLarge, message };
  }
}
