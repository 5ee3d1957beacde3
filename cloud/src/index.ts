/**
 * What other rooms (end-to-end tests, a future embedding) may use of the cloud: start it from a
 * config, or open its store. Everything else is internal to this package.
 */
export { type CloudConfig, ConfigError, loadCloudConfig } from './config/CloudConfig.ts';
export { AppError, type ErrorCode } from './errors/AppError.ts';
export { type RunningCloud, type StartCloudOptions, startCloud } from './startCloud.ts';
export { Store, type StoreOptions } from './store/Store.ts';
export { TunnelError, type TunnelErrorCode } from './tunnel/TunnelError.ts';
export type { AgentStatus, TunnelHub } from './tunnel/TunnelHub.ts';
export type { TunnelSettings } from './tunnel/TunnelSettings.ts';
