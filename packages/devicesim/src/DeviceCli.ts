/** What one command-line session answers. Output uses `\n`; the SSH server sends `\r\n`. */
export interface CliReply {
  /** Text printed after the echoed line and before the next prompt. */
  output: string;
  /** The session ends after the output (`exit`, `logout`, `quit`). */
  close?: boolean;
  /**
   * Paged output: the server shows it page by page with `pager.prompt` when the session has
   * paging on (see `DeviceCli.pager`). Ordinary short replies leave it false.
   */
  pageable?: boolean;
}

export interface PagerSettings {
  /** Lines per page; 0 or absent turns paging off (`terminal length 0` and the like). */
  linesPerPage: number;
  /** What the device prints between pages, e.g. ` --More-- `. */
  prompt: string;
}

/**
 * One interactive session on a simulated device: the vendor's prompts, modes and commands.
 * The SSH server owns line editing and echo; it calls `execute` once per entered line and
 * prints `prompt()` after each reply. Engines never touch sockets or real time.
 */
export interface DeviceCli {
  /** Printed once after login before the first prompt: banner, MOTD, "Hello, this is ...". */
  greeting(): string;
  /** The current prompt, including any trailing space and any preceding lines (MD-CLI, Junos). */
  prompt(): string;
  /** Paging as the session has it now; the server consults it for `pageable` replies. */
  pager(): PagerSettings | undefined;
  /** One entered line, without its line ending. */
  execute(line: string): CliReply | Promise<CliReply>;
  /** Ctrl-D, which ends `load ... terminal` input on Junos. Absent: ignored. */
  endOfInput?(): CliReply;
  /** Ctrl-C. Absent: prints nothing and shows the prompt again. */
  interrupt?(): CliReply;
  /** The SSH channel closed: discard private candidates, release exclusive locks. */
  disconnect(): void;
}
