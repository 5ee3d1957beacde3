/** Protocol versions this build speaks, newest first. The handshake picks the newest shared. */
export const supportedProtocolVersions = [1] as const;

export type ProtocolVersion = (typeof supportedProtocolVersions)[number];

/** The newest version both lists hold, or undefined when they share none. */
export function negotiateVersion(
  ours: readonly number[],
  theirs: readonly number[],
): number | undefined {
  return ours.filter((version) => theirs.includes(version)).sort((a, b) => b - a)[0];
}
