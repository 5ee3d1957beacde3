/**
 * What tests in other rooms may use from the lab: the seeded inventory plan (to start simulators
 * from the same intended configs Nautobot holds), the running lab's state, namespaces and the
 * FRR reset. Imported as `@plumbline/test/lab`.
 */
export { resetFrr } from './frr.ts';
export { createNamespace, type Namespace, removeNamespace } from './netns.ts';
export * from './seed/index.ts';
export { type FrrLabState, type LabState, type NautobotLabState, readLabState } from './state.ts';
