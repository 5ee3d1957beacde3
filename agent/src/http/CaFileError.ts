/** The extra CA bundle (`caFile`) cannot be used; the message names the file and what to do. */
export class CaFileError extends Error {
  readonly code = 'ca_file_unusable';
  override readonly name = 'CaFileError';
}
