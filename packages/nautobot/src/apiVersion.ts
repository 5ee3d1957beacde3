import { NautobotError } from './NautobotError.ts';

/**
 * The REST API version every request asks for. A Nautobot 3.x server accepts 3.0 up to its own
 * minor, so pinning the oldest keeps the models stable across 3.x upgrades.
 */
export const requestedApiVersion = '3.0';

/** The oldest Nautobot release (and REST API major) the client supports. */
export const minimumNautobotMajor = 3;

/** `[major, minor]` of a version such as `3.2` or `3.2.7`, or undefined when it is not one. */
export function parseVersion(text: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(text.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

/** True for a version this client can talk to: 3.0 and later. */
export function isSupportedVersion(text: string): boolean {
  const version = parseVersion(text);
  return version !== undefined && version[0] >= minimumNautobotMajor;
}

export function unsupportedVersion(
  origin: string,
  found: string,
  what: 'API' | 'release',
  request: string,
): NautobotError {
  const named = what === 'API' ? `REST API version ${found}` : `Nautobot ${found}`;
  return new NautobotError(
    'unsupported_version',
    `Nautobot at ${origin} runs ${named}; expected Nautobot ${minimumNautobotMajor}.0 or ` +
      `later (REST API ${minimumNautobotMajor}.x): upgrade Nautobot, or connect one that runs 3.x`,
    { request, detail: found },
  );
}

/**
 * A 406 means the server does not know API version 3.0. Nautobot lists what it does know
 * ("Supported versions are: 2.0, 2.1, ..."): the last one names its release line.
 */
export function versionRefused(origin: string, request: string, detail: string): NautobotError {
  const offered = /Supported versions are: (.*)$/.exec(detail)?.[1]?.split(/,\s*/) ?? [];
  const newest = offered.at(-1);
  const message =
    newest === undefined
      ? `Nautobot at ${origin} refused REST API version ${requestedApiVersion} ` +
        `(406 "${detail}"); ` +
        `expected Nautobot ${minimumNautobotMajor}.0 or later: upgrade Nautobot`
      : `Nautobot at ${origin} speaks REST API versions up to ${newest} and refused ` +
        `${requestedApiVersion} (406); expected Nautobot ${minimumNautobotMajor}.0 or later: ` +
        'upgrade Nautobot, or connect one that runs 3.x';
  return new NautobotError('unsupported_version', message, { request, status: 406, detail });
}
