/**
 * Stream body bytes travel in binary WebSocket messages, not JSON, so a 50 MiB body is not
 * base64-inflated and re-parsed: one tag byte, the stream id (uint32, big-endian), the bytes.
 */
const streamDataTag = 1;
const headerBytes = 5;

export function encodeStreamData(streamId: number, bytes: Uint8Array): Buffer {
  const message = Buffer.allocUnsafe(headerBytes + bytes.byteLength);
  message.writeUInt8(streamDataTag, 0);
  message.writeUInt32BE(streamId, 1);
  message.set(bytes, headerBytes);
  return message;
}

export type DecodedStreamData =
  | { ok: true; streamId: number; bytes: Buffer }
  | { ok: false; message: string };

export function decodeStreamData(message: Buffer): DecodedStreamData {
  if (message.byteLength < headerBytes || message.readUInt8(0) !== streamDataTag) {
    return { ok: false, message: 'a binary message must be stream data: tag 1, stream id, bytes' };
  }
  const streamId = message.readUInt32BE(1);
  if (streamId === 0) return { ok: false, message: 'stream id 0 is not valid' };
  return { ok: true, streamId, bytes: message.subarray(headerBytes) };
}
