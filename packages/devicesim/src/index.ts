export { EosDevice, eosDeviceFactory } from './arista_eos/EosDevice.ts';
export { IosDevice, iosDeviceFactory } from './cisco_ios/IosDevice.ts';
export { NxosDevice, nxosDeviceFactory } from './cisco_nxos/NxosDevice.ts';
export type { CliReply, DeviceCli, PagerSettings } from './DeviceCli.ts';
export type { DeviceFaults } from './DeviceFaults.ts';
export { fleetInventoryText } from './fleetInventoryText.ts';
export { createJunosDevice, JunosDevice } from './juniper_junos/JunosDevice.ts';
export { createSrosDevice, SrosDevice } from './nokia_sros/SrosDevice.ts';
export { ManualClock, realClock, type SimClock } from './SimClock.ts';
export type {
  SimDevice,
  SimDeviceFactory,
  SimDeviceOptions,
  SimPlatform,
} from './SimDevice.ts';
export { type SimEndpoint, type SimEndpointOptions, SimServer } from './SimServer.ts';
export { simPlatforms } from './simPlatforms.ts';
export { legacySshAlgorithms, legacySshIdent } from './ssh/legacySshAlgorithms.ts';
export { fingerprintOf, generateSshKeyPair } from './ssh/simHostKeys.ts';
export {
  type SimFleet,
  type SimFleetDevice,
  type SimFleetDeviceSpec,
  type SimFleetOptions,
  startSimFleet,
} from './startSimFleet.ts';
export { SshTestDevice, type SshTestDeviceOptions } from './testing/SshTestDevice.ts';
