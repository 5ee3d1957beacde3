/**
 * One authenticated WebSocket as the features riding on it see it (jobs, HTTP streams): send
 * frames and stream data, watch the socket's buffer. The cloud's hub and the agent's client
 * each implement it over `ws`; `Out` is the frame union that side may send.
 */
export interface FrameLink<Out extends { type: string }> {
  /** Encodes (chunking when large) and queues the frame. Dropped silently once closed. */
  send(frame: Out): void;
  /** Queues one binary stream-data message (at most `streamChunkBytes` of `bytes`). */
  sendData(streamId: number, bytes: Uint8Array): void;
  /** Bytes queued in the socket and not yet written (`ws.bufferedAmount`). */
  bufferedBytes(): number;
  /**
   * Calls `listener` once the socket's buffer falls below `socketResumeBytes`, or at once if it
   * already is. Returns a function that cancels the wait.
   */
  whenWritable(listener: () => void): () => void;
  readonly closed: boolean;
}

/**
 * A feature that handles some of the frames arriving on a link. The link's owner passes each
 * authenticated frame to its handlers in turn until one returns true.
 */
export interface FrameHandler<In extends { type: string }> {
  handleFrame(frame: In): boolean;
  /** Binary stream data for `streamId`. */
  handleData(streamId: number, bytes: Buffer): void;
  /** The link is gone: fail whatever waits on it. */
  linkClosed(reason: string): void;
}
