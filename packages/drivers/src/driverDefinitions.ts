import type { Platform } from './DeviceDriver.ts';
import type { DriverDefinition } from './DriverDefinition.ts';
import { frrDriver } from './frr.ts';
import { juniperJunosDefinition } from './juniper_junos.ts';
import { nokiaSrosDefinition } from './nokia_sros.ts';

/** Drivers by Nautobot `network_driver`; each vendor adds its own line. */
export const driverDefinitions: Partial<Record<Platform, DriverDefinition>> = {
  frr: frrDriver,
  juniper_junos: juniperJunosDefinition,
  nokia_sros: nokiaSrosDefinition,
};
