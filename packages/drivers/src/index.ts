export { aristaEosDefinition, cleanEosConfig, EosDriver } from './arista_eos.ts';
export type { CliSession, SendOptions } from './CliSession.ts';
export { ciscoIosDefinition, cleanIosConfig, IosDriver } from './cisco_ios.ts';
export { ciscoNxosDefinition, cleanNxosConfig, NxosDriver } from './cisco_nxos.ts';
export { type ConnectDeviceOptions, connectDevice } from './connectDevice.ts';
export type {
  DeviceDriver,
  PendingChange,
  Platform,
  StageOptions,
} from './DeviceDriver.ts';
export type { DriverDefinition, DriverOptions } from './DriverDefinition.ts';
export {
  DriverError,
  type DriverErrorCode,
  type DriverErrorDetails,
  isDriverError,
} from './DriverError.ts';
export { type DriverTimers, realTimers } from './DriverTimers.ts';
export { driverDefinitions } from './driverDefinitions.ts';
export { frrDriver } from './frr.ts';
export { FileHostKeyStore, type HostKeyStore, MemoryHostKeyStore } from './HostKeyStore.ts';
export { hostKeyFingerprint } from './hostKeyFingerprint.ts';
export { JunosDriver, juniperJunosDefinition } from './juniper_junos.ts';
export { nokiaSrosDefinition, SrosDriver } from './nokia_sros.ts';
export {
  type JumpHost,
  type OpenCliSessionOptions,
  openCliSession,
  type SshCredentials,
} from './openCliSession.ts';
export { legacyClientAlgorithms } from './sshAlgorithms.ts';
export { stripAnsi } from './stripAnsi.ts';
