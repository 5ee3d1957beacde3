import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@plumbline/log';
import { z } from 'zod';
import { loadDevicesimConfig, readBounded, simPlatformSchema } from './devicesimConfig.ts';
import { fleetSpecs } from './fleetSpecs.ts';
import type { SimPlatform } from './SimDevice.ts';
import { simPlatforms } from './simPlatforms.ts';
import { type SimFleetDeviceSpec, startSimFleet } from './startSimFleet.ts';

const usage = `usage: devicesim [--devices N] [--platforms cisco_ios,arista_eos,...] [--base-port P]
                 [--config FILE] [--initial-config-dir DIR] [--inventory FILE] [--legacy]
Serves simulated devices on 127.0.0.1 until SIGINT or SIGTERM. Prints a JSON inventory
(hostname, platform, port, username, password, host key fingerprint) to stdout, or writes it
to --inventory FILE with mode 0600. --config FILE is JSON: {"devices": [{"hostname",
"platform", "port"?, "credentials"?: {"username", "password"}, "initialConfigPath"?}]}.
--initial-config-dir DIR gives device H the configuration in DIR/H.cfg when that file exists.`;

const flagsSchema = z.object({
  devices: z.coerce.number().int().min(1).max(10_000).optional(),
  platforms: z
    .string()
    .transform((text) => text.split(',').map((name) => name.trim()))
    .pipe(z.array(simPlatformSchema).min(1))
    .optional(),
  basePort: z.coerce.number().int().min(1).max(65_535).optional(),
  config: z.string().optional(),
  initialConfigDir: z.string().optional(),
  inventory: z.string().optional(),
  legacy: z.boolean().optional(),
  help: z.boolean().optional(),
});

async function main(): Promise<void> {
  const logger = createLogger({
    name: 'devicesim',
    destination: { write: (line: string) => void process.stderr.write(line) },
  });
  const { values } = parseArgs({
    options: {
      devices: { type: 'string' },
      platforms: { type: 'string' },
      'base-port': { type: 'string' },
      config: { type: 'string' },
      'initial-config-dir': { type: 'string' },
      inventory: { type: 'string' },
      legacy: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const flags = flagsSchema.safeParse({
    ...values,
    basePort: values['base-port'],
    initialConfigDir: values['initial-config-dir'],
  });
  if (!flags.success) {
    const issue = flags.error.issues[0];
    throw new UsageError(`--${issue?.path.join('.')}: ${issue?.message}`);
  }
  if (flags.data.help === true) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const specs = deviceSpecs(flags.data);
  const fleet = await startSimFleet({ devices: specs, logger });
  const inventory = {
    devices: fleet.devices.map((device) => ({
      hostname: device.hostname,
      platform: device.platform,
      host: '127.0.0.1',
      port: device.port,
      username: device.username,
      password: device.password,
      hostKeyFingerprint: device.hostKeyFingerprint,
    })),
  };
  const text = `${JSON.stringify(inventory, null, 2)}\n`;
  if (flags.data.inventory === undefined) process.stdout.write(text);
  else {
    writeFileSync(flags.data.inventory, text, { mode: 0o600 });
    chmodSync(flags.data.inventory, 0o600);
  }
  logger.info({ devices: fleet.devices.length }, 'serving simulated devices on 127.0.0.1');

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    fleet.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function deviceSpecs(flags: z.infer<typeof flagsSchema>): SimFleetDeviceSpec[] {
  let specs: SimFleetDeviceSpec[];
  if (flags.config !== undefined) {
    if (flags.devices !== undefined) throw new UsageError('use --config or --devices, not both');
    specs = loadDevicesimConfig(flags.config);
  } else {
    const available = Object.keys(simPlatforms) as SimPlatform[];
    const platforms = flags.platforms ?? available;
    const missing = platforms.filter((platform) => simPlatforms[platform] === undefined);
    if (missing.length > 0 || platforms.length === 0) {
      throw new UsageError(
        `no simulator for ${missing.join(', ') || 'any platform'} (have: ${available.join(', ')})`,
      );
    }
    specs = fleetSpecs({
      count: flags.devices ?? 1,
      platforms,
      ...(flags.basePort === undefined ? {} : { basePort: flags.basePort }),
    });
  }
  return specs.map((spec) => withOptions(spec, flags));
}

function withOptions(
  spec: SimFleetDeviceSpec,
  flags: z.infer<typeof flagsSchema>,
): SimFleetDeviceSpec {
  const result = { ...spec };
  if (flags.legacy === true) result.legacy = true;
  if (flags.initialConfigDir !== undefined && result.initialConfig === undefined) {
    const file = join(flags.initialConfigDir, `${spec.hostname}.cfg`);
    if (existsSync(file)) result.initialConfig = readBounded(file);
  }
  return result;
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`devicesim: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write(`${usage}\n`);
  process.exit(2);
});
