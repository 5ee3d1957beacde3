import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { deviceFaultsSchema, withoutUndefined } from './deviceFaultsSchema.ts';
import type { SimPlatform } from './SimDevice.ts';
import type { SimFleetDeviceSpec } from './startSimFleet.ts';

// ssh2 is CommonJS without named exports Node can see: take them from the default export.
const { utils } = ssh2;

export const simPlatformSchema = z.enum([
  'cisco_ios',
  'cisco_nxos',
  'arista_eos',
  'juniper_junos',
  'nokia_sros',
]) satisfies z.ZodType<SimPlatform>;

const maxConfigBytes = 4 * 1024 * 1024;

/** An OpenSSH public key line (`ssh-ed25519 AAAA... comment`) that ssh2 can read. */
const publicKeySchema = z
  .string()
  .max(16_384)
  .refine((line) => !(utils.parseKey(line) instanceof Error), {
    message: 'not an OpenSSH public key line (ssh-ed25519 AAAA... comment)',
  });

const deviceSchema = z.strictObject({
  hostname: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
  platform: simPlatformSchema,
  port: z.number().int().min(0).max(65535).optional(),
  credentials: z
    .strictObject({
      username: z.string().min(1).max(64),
      password: z.string().min(1).max(256),
      authorizedKeys: z.array(publicKeySchema).max(32).optional(),
    })
    .optional(),
  /** Relative to the config file. */
  initialConfigPath: z.string().max(4096).optional(),
  legacy: z.boolean().optional(),
  classicCli: z.boolean().optional(),
  allowForwarding: z.boolean().optional(),
  /** Faults switched on from the start; see `DeviceFaults`. */
  faults: deviceFaultsSchema.optional(),
});

export const devicesimConfigSchema = z.strictObject({
  devices: z.array(deviceSchema).min(1).max(10_000),
});

/** Reads and validates a `--config` file; initial configs are read relative to it. */
export function loadDevicesimConfig(path: string): SimFleetDeviceSpec[] {
  const text = readBounded(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON: ${error instanceof Error ? error.message : error}`);
  }
  const parsed = devicesimConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  const hostnames = new Set<string>();
  return parsed.data.devices.map((device) => {
    if (hostnames.has(device.hostname)) throw new Error(`${path}: duplicate ${device.hostname}`);
    hostnames.add(device.hostname);
    const spec: SimFleetDeviceSpec = { hostname: device.hostname, platform: device.platform };
    if (device.port !== undefined) spec.port = device.port;
    if (device.credentials !== undefined) {
      spec.username = device.credentials.username;
      spec.password = device.credentials.password;
      if (device.credentials.authorizedKeys !== undefined) {
        spec.authorizedKeys = device.credentials.authorizedKeys;
      }
    }
    if (device.initialConfigPath !== undefined) {
      spec.initialConfig = readBounded(resolve(dirname(path), device.initialConfigPath));
    }
    if (device.legacy !== undefined) spec.legacy = device.legacy;
    if (device.classicCli !== undefined) spec.classicCli = device.classicCli;
    if (device.allowForwarding !== undefined) spec.allowForwarding = device.allowForwarding;
    if (device.faults !== undefined) spec.faults = withoutUndefined(device.faults);
    return spec;
  });
}

/** A file's text, refused when larger than 4 MiB (configs and config files are far smaller). */
export function readBounded(path: string): string {
  const buffer = readFileSync(path);
  if (buffer.length > maxConfigBytes) {
    throw new Error(`${path}: ${buffer.length} bytes, more than the ${maxConfigBytes} allowed`);
  }
  return buffer.toString('utf8');
}
