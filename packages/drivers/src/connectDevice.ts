import type { Logger } from '@plumbline/log';
import { z } from 'zod';
import type { DeviceDriver, Platform } from './DeviceDriver.ts';
import { DriverError } from './DriverError.ts';
import type { DriverTimers } from './DriverTimers.ts';
import { driverDefinitions } from './driverDefinitions.ts';
import type { HostKeyStore } from './HostKeyStore.ts';
import { type JumpHost, type OpenCliSessionOptions, openCliSession } from './openCliSession.ts';

export interface ConnectDeviceOptions {
  /** Nautobot's `network_driver`, e.g. `cisco_ios`. */
  platform: string;
  host: string;
  port: number;
  username: string;
  /** Used for password and keyboard-interactive logins, never in messages or logs. */
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** Pins every hop's host key; `FileHostKeyStore` keeps them across runs. */
  hostKeyStore: HostKeyStore;
  /** Dialled in order, each through the previous one; the device through the last. */
  jumpHosts?: readonly JumpHost[];
  /** Per hop, TCP connect to logged in, and the first prompt; default 15 s. */
  connectTimeoutMs?: number;
  /** Per command; default 30 s. */
  commandTimeoutMs?: number;
  /** Bytes one command may print, escapes included; default 16 MiB. */
  maxOutputBytes?: number;
  /** Pager prompts answered for one command; default 10000. */
  maxPages?: number;
  logger?: Logger;
  /** Connect, command and driver-side confirm deadlines; tests pass a manual clock. */
  timers?: DriverTimers;
}

const positiveMs = z
  .number()
  .int()
  .positive()
  .max(24 * 3600_000);
const hostSchema = z.string().min(1).max(253);
const portSchema = z.number().int().min(1).max(65535);
const credentialsShape = {
  username: z.string().min(1).max(128),
  password: z.string().max(1024).optional(),
  privateKey: z.union([z.string().max(64 * 1024), z.instanceof(Buffer)]).optional(),
  passphrase: z.string().max(1024).optional(),
};

/** What comes from a caller's config or the cloud; secrets are checked, never echoed. */
const optionsSchema = z.object({
  platform: z.string().max(64),
  host: hostSchema,
  port: portSchema,
  ...credentialsShape,
  jumpHosts: z
    .array(z.object({ host: hostSchema, port: portSchema, ...credentialsShape }))
    .max(8)
    .optional(),
  connectTimeoutMs: positiveMs.optional(),
  commandTimeoutMs: positiveMs.optional(),
  maxOutputBytes: z
    .number()
    .int()
    .positive()
    .max(1024 * 1024 * 1024)
    .optional(),
  maxPages: z.number().int().positive().max(1_000_000).optional(),
});

/**
 * Opens an SSH session with the platform's prompt, pager and algorithms, makes its driver and
 * prepares it (paging off). The caller closes `driver.session` when done. The driver may open
 * further sessions with the same options to roll back a change whose session was lost.
 */
export async function connectDevice(options: ConnectDeviceOptions): Promise<DeviceDriver> {
  const { hostKeyStore, logger, timers, ...plain } = options;
  const parsed = optionsSchema.safeParse(plain);
  const device = `${String(options.host)}:${String(options.port)}`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DriverError(
      'protocol_error',
      `${device}: invalid connection options: ${issue?.path.join('.')}: ${issue?.message}`,
      { device },
    );
  }
  const { jumpHosts, platform, ...direct } = parsed.data;
  const definition = driverDefinitions[platform as Platform];
  if (definition === undefined) {
    const known = Object.keys(driverDefinitions).sort().join(', ');
    throw new DriverError(
      'unsupported_platform',
      `${device}: no driver for network_driver "${platform}" (supported: ${known})`,
      { device },
    );
  }
  const sessionOptions: OpenCliSessionOptions = {
    ...withoutUndefined(direct),
    ...(jumpHosts === undefined ? {} : { jumpHosts: jumpHosts.map(withoutUndefined) }),
    hostKeyStore,
    promptPattern: definition.promptPattern,
    ...(definition.pager === undefined ? {} : { pager: definition.pager }),
    ...(definition.legacyAlgorithms === undefined
      ? {}
      : { legacyAlgorithms: definition.legacyAlgorithms }),
    ...(logger === undefined ? {} : { logger }),
    ...(timers === undefined ? {} : { timers }),
  };
  const reopenSession = () => openCliSession(sessionOptions);
  const session = await reopenSession();
  try {
    const driver = definition.create(session, {
      reopenSession,
      ...(timers === undefined ? {} : { timers }),
      ...(options.commandTimeoutMs === undefined
        ? {}
        : { commandTimeoutMs: options.commandTimeoutMs }),
    });
    await driver.prepare();
    return driver;
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** zod gives optional keys as `undefined`; exactOptionalPropertyTypes wants them absent. */
function withoutUndefined<T extends object>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
