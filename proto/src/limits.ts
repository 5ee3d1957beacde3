/** The largest WebSocket message either side accepts; a peer that sends more is dropped. */
export const maxFrameBytes = 1024 * 1024;

/**
 * A JSON frame larger than `maxFrameBytes` is sent as `chunk` frames of this many characters.
 * Escaping the text again at most doubles an ASCII character and a character takes at most
 * three UTF-8 bytes, so a chunk frame stays under 768 KiB plus its small envelope.
 */
export const chunkTextChars = 256 * 1024;

/** The largest frame that chunks may reassemble to; beyond it the sender is dropped. */
export const maxAssembledFrameBytes = 64 * 1024 * 1024;

/** Body bytes carried by one binary stream-data frame. */
export const streamChunkBytes = 256 * 1024;

/** Credit each side grants a stream at its start: this many body bytes may be in flight. */
export const streamWindowBytes = 1024 * 1024;

/** A sender stops reading its source while the socket buffers more than this... */
export const socketPauseBytes = 1024 * 1024;
/** ...and resumes below this. */
export const socketResumeBytes = 256 * 1024;
