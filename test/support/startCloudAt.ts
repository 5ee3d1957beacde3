import { loadCloudConfig, type RunningCloud, startCloud } from '@plumbline/cloud';
import type { Logger } from '@plumbline/log';

/** The hub's tunnel options as `startCloud` takes them (settings, clock, job kinds). */
export type CloudTunnelOptions = NonNullable<Parameters<typeof startCloud>[2]>['tunnel'];

/**
 * A real cloud on 127.0.0.1 with its file-backed store in `dataDir`; start it again on the
 * same directory and the outbox, agents and keys are still there. Port 0 picks a free port.
 */
export function startCloudAt(
  dataDir: string,
  logger: Logger,
  options: { port?: number; tunnel?: CloudTunnelOptions } = {},
): Promise<RunningCloud> {
  const config = loadCloudConfig({
    PLUMBLINE_DATA_DIR: dataDir,
    PLUMBLINE_HOST: '127.0.0.1',
    PLUMBLINE_PORT: String(options.port ?? 0),
    PLUMBLINE_SHUTDOWN_GRACE_MS: '1000',
  });
  return startCloud(config, logger, options.tunnel === undefined ? {} : { tunnel: options.tunnel });
}
