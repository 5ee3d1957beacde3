import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@plumbline/log';
import { z } from 'zod';
import type { DeviceFaults } from './DeviceFaults.ts';
import { faultFlagNames, faultsFromFlags } from './deviceFaultsSchema.ts';
import { loadDevicesimConfig, readBounded, simPlatformSchema } from './devicesimConfig.ts';
import { fleetInventoryText } from './fleetInventoryText.ts';
import { fleetSpecs } from './fleetSpecs.ts';
import { type SimFleet, type SimFleetDeviceSpec, startSimFleet } from './startSimFleet.ts';
import { writePrivateFile } from './writePrivateFile.ts';

const usage = `usage: devicesim [--devices N] [--platforms cisco_ios,arista_eos,...] [--base-port P]
       devicesim --config FILE
  common options: [--initial-config-dir DIR] [--inventory FILE] [--legacy] [--fault F]...
Serves simulated devices on 127.0.0.1 until SIGINT or SIGTERM, and prints where each listens.
Logins (username, password) go only to the inventory, a JSON file with mode 0600: --inventory
FILE, else a new private temporary directory (removed on stop).
  --devices N           N devices (1-10000, default 1), platforms round-robin
  --platforms LIST      default: all of cisco_ios, cisco_nxos, arista_eos, juniper_junos,
                        nokia_sros
  --base-port P         device i listens on P+i (default: free ports)
  --config FILE         JSON: {"devices": [{"hostname", "platform", "port"?, "credentials"?:
                        {"username", "password"}, "initialConfigPath"?, "legacy"?,
                        "classicCli"?, "faults"?: {...}}]}; see packages/devicesim/README.md
  --initial-config-dir DIR  device H starts from DIR/H.cfg when that file exists
  --legacy              old SSH algorithms only (SHA-1 kex, CBC, ssh-rsa), as old IOS
  --fault F             on every device, from the start (repeatable); F is one of
${faultFlagNames.map((name) => `                          ${name}`).join('\n')}`;

const portSchema = z.coerce.number().int().min(1).max(65_535);

const flagsSchema = z.object({
  devices: z.coerce.number().int().min(1).max(10_000).optional(),
  platforms: z
    .string()
    .transform((text) => text.split(',').map((name) => name.trim()))
    .pipe(z.array(simPlatformSchema).min(1))
    .optional(),
  basePort: portSchema.optional(),
  config: z.string().min(1).max(4096).optional(),
  initialConfigDir: z.string().min(1).max(4096).optional(),
  inventory: z.string().min(1).max(4096).optional(),
  legacy: z.boolean().optional(),
  fault: z.array(z.string().max(300)).max(20).optional(),
  help: z.boolean().optional(),
});
type Flags = z.infer<typeof flagsSchema>;

class UsageError extends Error {}

async function main(): Promise<void> {
  const flags = parseFlags();
  if (flags.help === true) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const logger = createLogger({
    name: 'devicesim',
    destination: { write: (line: string) => void process.stderr.write(line) },
  });
  const specs = deviceSpecs(flags);
  const fleet = await startSimFleet({ devices: specs, logger });

  let temporaryDir: string | undefined;
  if (flags.inventory === undefined) temporaryDir = mkdtempSync(join(tmpdir(), 'devicesim-'));
  const inventoryFile = flags.inventory ?? join(temporaryDir ?? '', 'inventory.json');
  writePrivateFile(inventoryFile, fleetInventoryText(fleet));
  process.stdout.write(listingText(fleet, inventoryFile));
  logger.info({ devices: fleet.devices.length }, 'serving simulated devices on 127.0.0.1');

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    if (temporaryDir !== undefined) rmSync(temporaryDir, { recursive: true, force: true });
    fleet.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function parseFlags(): Flags {
  let values: ReturnType<typeof parseArgv>['values'];
  try {
    values = parseArgv().values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const flags = flagsSchema.safeParse({
    ...values,
    basePort: values['base-port'],
    initialConfigDir: values['initial-config-dir'],
  });
  if (!flags.success) {
    const issue = flags.error.issues[0];
    const name = String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new UsageError(`--${name}: ${issue?.message}`);
  }
  return flags.data;
}

function parseArgv() {
  return parseArgs({
    options: {
      devices: { type: 'string' },
      platforms: { type: 'string' },
      'base-port': { type: 'string' },
      config: { type: 'string' },
      'initial-config-dir': { type: 'string' },
      inventory: { type: 'string' },
      legacy: { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

function deviceSpecs(flags: Flags): SimFleetDeviceSpec[] {
  let faults: DeviceFaults;
  try {
    faults = faultsFromFlags(flags.fault ?? []);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const specs = flags.config === undefined ? specsFromFlags(flags) : specsFromFile(flags);
  return specs.map((spec) => withCommonOptions(spec, flags, faults));
}

function specsFromFile(flags: Flags): SimFleetDeviceSpec[] {
  const clash = (['devices', 'platforms', 'basePort'] as const).find((k) => flags[k] !== undefined);
  if (clash !== undefined) {
    const name = clash === 'basePort' ? 'base-port' : clash;
    throw new UsageError(`--config lists the devices itself; leave out --${name}`);
  }
  return loadDevicesimConfig(flags.config ?? '');
}

function specsFromFlags(flags: Flags): SimFleetDeviceSpec[] {
  const count = flags.devices ?? 1;
  if (flags.basePort !== undefined && flags.basePort + count - 1 > 65_535) {
    throw new UsageError(
      `--base-port ${flags.basePort} leaves room for ${65_536 - flags.basePort} devices, ` +
        `not ${count}; choose a lower port`,
    );
  }
  return fleetSpecs({
    count,
    platforms: flags.platforms ?? simPlatformSchema.options,
    ...(flags.basePort === undefined ? {} : { basePort: flags.basePort }),
  });
}

/** Adds what flags give every device; a device's own settings in the config file win. */
function withCommonOptions(
  spec: SimFleetDeviceSpec,
  flags: Flags,
  faults: DeviceFaults,
): SimFleetDeviceSpec {
  const result: SimFleetDeviceSpec = { ...spec, faults: { ...faults, ...spec.faults } };
  if (flags.legacy === true) result.legacy = true;
  if (flags.initialConfigDir !== undefined && result.initialConfig === undefined) {
    const file = join(flags.initialConfigDir, `${spec.hostname}.cfg`);
    if (existsSync(file)) result.initialConfig = readBounded(file);
  }
  return result;
}

/** Where each device listens, without its login. */
function listingText(fleet: SimFleet, inventoryFile: string): string {
  const width = Math.max(8, ...fleet.devices.map((device) => device.hostname.length));
  const row = (hostname: string, platform: string, address: string, key: string) =>
    `${hostname.padEnd(width)}  ${platform.padEnd(13)}  ${address.padEnd(15)}  ${key}`;
  return [
    `devicesim: ${fleet.devices.length} devices; logins in ${inventoryFile} (mode 0600)`,
    row('HOSTNAME', 'PLATFORM', 'ADDRESS', 'HOST KEY'),
    ...fleet.devices.map((device) =>
      row(device.hostname, device.platform, `127.0.0.1:${device.port}`, device.hostKeyFingerprint),
    ),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`devicesim: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write(`run devicesim --help for usage\n`);
  process.exit(2);
});
