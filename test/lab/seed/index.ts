export {
  type ApplyInventoryOptions,
  applyInventory,
  type SeedResult,
} from './applyInventory.js';
export { countInventory } from './countInventory.js';
export {
  createNautobotClient,
  type NautobotClient,
  type NautobotClientOptions,
} from './createNautobotClient.js';
export type * from './InventoryPlan.js';
export { countKeys } from './InventoryPlan.js';
export { renderIntendedConfig } from './intendedConfig.js';
export { type InventoryEndpoint, inventoryEndpoints } from './inventoryEndpoints.js';
export { defaultDeviceCount, maxDeviceCount, planInventory } from './planInventory.js';
export { SeedError, type SeedErrorCode } from './SeedError.js';
export type { ProgressListener, SeedStep } from './seedContext.js';
