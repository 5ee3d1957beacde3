import type { CloseReason } from '@plumbline/proto';

/** Close reasons that mean the cloud will not take this agent as it is: retrying slowly. */
const advice: Partial<Record<CloseReason, string>> = {
  unknown_agent:
    'the cloud does not know this agent key (deleted, or enrolled elsewhere); ' +
    'enroll it again with "plumbline-agent enroll --force"',
  revoked: 'this agent was revoked in the cloud; enroll it again with a new token',
  bad_signature:
    'the cloud could not verify this agent key; the identity file may be damaged or from ' +
    'another install: enroll again with --force',
  wrong_tenant:
    'the identity names another tenant than the one its key belongs to; enroll again with --force',
  version_unsupported: 'the cloud speaks no protocol version this agent does; upgrade the agent',
};

/** What the operator should do when the cloud closed with `reason`, or undefined if nothing. */
export function refusalAdvice(reason: CloseReason | undefined): string | undefined {
  return reason === undefined ? undefined : advice[reason];
}
