import type { Logger } from '@plumbline/log';
import { componentLogger } from '@plumbline/log';
import type { Sealer } from '../secrets/Sealer.ts';
import type { Store } from '../store/Store.ts';
import { type SotDeps, tunnelUnavailable } from './SotDeps.ts';
import { SyncRunner } from './SyncRunner.ts';

/** What createApp and startCloud may set about the Nautobot integration. */
export interface SotOptions {
  /** Fetch through an agent; by default a fetch that rejects with "tunnel not available". */
  fetchViaAgent?: SotDeps['fetchViaAgent'];
  /** The cloud's address as Nautobot reaches it, for webhook URLs. */
  publicUrl?: string;
  clientOptions?: SotDeps['clientOptions'];
  directFetch?: typeof fetch;
  onHttpTargetsChanged?: SotDeps['onHttpTargetsChanged'];
}

/** The integration's dependencies and its one sync runner, for one app. */
export function createSot(
  base: { store: Store; sealer: Sealer; logger: Logger },
  options: SotOptions = {},
): { deps: SotDeps; runner: SyncRunner } {
  const deps: SotDeps = {
    store: base.store,
    sealer: base.sealer,
    logger: componentLogger(base.logger, 'sot'),
    fetchViaAgent: options.fetchViaAgent ?? tunnelUnavailable,
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:8080',
    ...(options.clientOptions !== undefined && { clientOptions: options.clientOptions }),
    ...(options.directFetch !== undefined && { directFetch: options.directFetch }),
    ...(options.onHttpTargetsChanged !== undefined && {
      onHttpTargetsChanged: options.onHttpTargetsChanged,
    }),
  };
  return { deps, runner: new SyncRunner(deps) };
}
