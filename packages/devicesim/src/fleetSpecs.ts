import type { SimPlatform } from './SimDevice.ts';
import type { SimFleetDeviceSpec } from './startSimFleet.ts';

export interface FleetSpecsOptions {
  count: number;
  /** Assigned round-robin. */
  platforms: readonly SimPlatform[];
  /** Device i listens on basePort + i; absent: free ports. */
  basePort?: number;
  /** Hostname prefix; device i is `<prefix>-<platform>-<i+1, 4 digits>`. Default `sim`. */
  prefix?: string;
  initialConfigFor?: (hostname: string) => string | undefined;
}

/** `count` device specs over `platforms`, for the command line and the benchmark. */
export function fleetSpecs(options: FleetSpecsOptions): SimFleetDeviceSpec[] {
  const prefix = options.prefix ?? 'sim';
  return Array.from({ length: options.count }, (_, index) => {
    const platform = options.platforms[index % options.platforms.length];
    if (platform === undefined) throw new Error('fleetSpecs needs at least one platform');
    const serial = String(index + 1).padStart(4, '0');
    const hostname = `${prefix}-${platform.replace('_', '-')}-${serial}`;
    const initialConfig = options.initialConfigFor?.(hostname);
    return {
      hostname,
      platform,
      ...(options.basePort === undefined ? {} : { port: options.basePort + index }),
      ...(initialConfig === undefined ? {} : { initialConfig }),
    };
  });
}
