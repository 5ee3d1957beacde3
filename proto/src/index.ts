export { canonicalJson } from './canonicalJson.ts';
export { ChunkAssembler, encodeFrame } from './chunking.ts';
export { type CloseReason, closeReasonOf, closeReasons } from './closeReasons.ts';
export * from './enrollment.ts';
export type { FrameHandler, FrameLink } from './FrameLink.ts';
export { FrameReader, type ReadResult } from './FrameReader.ts';
export * from './frames.ts';
export {
  checkJobResult,
  defineJobKind,
  firstIssueOf,
  type JobKind,
  jobErrorCodes,
  noopJob,
} from './jobs.ts';
export * from './limits.ts';
export { StreamInbox, type StreamInboxOptions } from './StreamInbox.ts';
export { type PumpLink, type PumpOutcome, StreamPump } from './StreamPump.ts';
export * from './signing.ts';
export { decodeStreamData, encodeStreamData } from './streamData.ts';
export { negotiateVersion, type ProtocolVersion, supportedProtocolVersions } from './version.ts';
