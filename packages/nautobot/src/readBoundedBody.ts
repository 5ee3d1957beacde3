export interface BoundedBody {
  text: string;
  /** True when the body had more than `maxBytes` bytes; `text` then holds the first ones. */
  truncated: boolean;
}

/**
 * Reads a response body as UTF-8, at most `maxBytes` of it. A longer body is cut there and the
 * stream cancelled, so a hostile or broken server cannot make the client buffer without bound.
 * A declared Content-Length above the bound is refused before a byte is read.
 */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<BoundedBody> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return { text: '', truncated: true };
  }
  if (response.body === null) return { text: '', truncated: false };

  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    if (value.byteLength > room) {
      parts.push(decoder.decode(value.subarray(0, room)));
      await reader.cancel();
      return { text: parts.join(''), truncated: true };
    }
    bytes += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return { text: parts.join(''), truncated: false };
}
