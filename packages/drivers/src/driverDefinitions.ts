import { aristaEosDefinition } from './arista_eos.ts';
import { ciscoIosDefinition } from './cisco_ios.ts';
import { ciscoNxosDefinition } from './cisco_nxos.ts';
import type { Platform } from './DeviceDriver.ts';
import type { DriverDefinition } from './DriverDefinition.ts';
import { frrDriver } from './frr.ts';
import { juniperJunosDefinition } from './juniper_junos.ts';
import { nokiaSrosDefinition } from './nokia_sros.ts';

/** Drivers by Nautobot `network_driver`; each vendor adds its own line. */
export const driverDefinitions: Partial<Record<Platform, DriverDefinition>> = {
  arista_eos: aristaEosDefinition,
  cisco_ios: ciscoIosDefinition,
  cisco_nxos: ciscoNxosDefinition,
  frr: frrDriver,
  juniper_junos: juniperJunosDefinition,
  nokia_sros: nokiaSrosDefinition,
};
