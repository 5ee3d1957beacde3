import {
  fleetInventoryText,
  type SimFleet,
  type SimPlatform,
  simPlatforms,
  startSimFleet,
} from '@plumbline/devicesim';
import type { Logger } from '@plumbline/log';
import { planInventory } from '../lab/seed/index.ts';
import { writePrivateFile } from './writePrivateFile.ts';

export interface DemoFleet {
  fleet: SimFleet;
  /** Devices of the lab's Nautobot with no simulator (FRR: the lab runs one real router). */
  notSimulated: { hostname: string; networkDriver: string }[];
  close(): Promise<void>;
}

/**
 * One simulated SSH device per device the lab seeded into Nautobot, with the same hostname,
 * booted from the same intended configuration Golden Config holds for it (the seeder's plan
 * is deterministic for a size), so the fleet starts in sync with Nautobot. Logins go to
 * `inventoryFile` (0600) in the devicesim inventory format.
 */
export async function startDemoFleet(
  labDeviceCount: number,
  inventoryFile: string,
  logger: Logger,
): Promise<DemoFleet> {
  const planned = planInventory(labDeviceCount).devices;
  const simulated = planned.filter((device) => isSimulated(device.networkDriver));
  const fleet = await startSimFleet({
    devices: simulated.map((device) => ({
      hostname: device.name,
      platform: device.networkDriver as SimPlatform,
      initialConfig: device.intendedConfig,
    })),
    logger,
  });

  writePrivateFile(inventoryFile, fleetInventoryText(fleet));
  const notSimulated = planned
    .filter((device) => !isSimulated(device.networkDriver))
    .map((device) => ({ hostname: device.name, networkDriver: device.networkDriver }));
  return { fleet, notSimulated, close: () => fleet.close() };
}

function isSimulated(networkDriver: string): boolean {
  return Object.hasOwn(simPlatforms, networkDriver);
}
