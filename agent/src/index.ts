export { AgentError, type AgentErrorCode } from './AgentError.ts';
export type { AgentStatus } from './AgentStatus.ts';
export { type AgentTimers, systemTimers } from './AgentTimers.ts';
export { type EnrolledAgent, type EnrollOptions, enrollAgent } from './enroll/enrollAgent.ts';
export type { FetchFunction } from './enroll/FetchFunction.ts';
export type { AgentIdentity } from './identity/AgentIdentity.ts';
export { readIdentity } from './identity/readIdentity.ts';
export {
  type JobContext,
  type JobHandler,
  JobHandlerRegistry,
} from './jobs/JobHandlerRegistry.ts';
export { type RunningAgent, type StartAgentOptions, startAgent } from './startAgent.ts';
export { defaultTunnelParameters, type TunnelParameters } from './tunnel/TunnelParameters.ts';
