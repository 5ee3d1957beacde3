/**
 * The byte length of a request body when it is known without reading it, so the agent can
 * send `content-length` instead of a chunked body (which some servers in front of Nautobot
 * refuse). Undefined without a body, for streams and for bodies inside a Request object.
 */
export function knownBodyLength(init: RequestInit | undefined): number | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof Blob) return body.size;
  if (body instanceof URLSearchParams) return Buffer.byteLength(body.toString());
  return undefined;
}
