import { eosDeviceFactory } from './arista_eos/EosDevice.ts';
import { iosDeviceFactory } from './cisco_ios/IosDevice.ts';
import { nxosDeviceFactory } from './cisco_nxos/NxosDevice.ts';
import { createJunosDevice } from './juniper_junos/JunosDevice.ts';
import { createSrosDevice } from './nokia_sros/SrosDevice.ts';
import type { SimDeviceFactory, SimPlatform } from './SimDevice.ts';

/**
 * The simulated platforms this build has, by Nautobot `network_driver`. Each vendor adds its
 * own line; `startSimFleet` and the `devicesim` command take factories from here.
 */
export const simPlatforms: Partial<Record<SimPlatform, SimDeviceFactory>> = {
  cisco_ios: iosDeviceFactory,
  cisco_nxos: nxosDeviceFactory,
  arista_eos: eosDeviceFactory,
  juniper_junos: createJunosDevice,
  nokia_sros: createSrosDevice,
};
