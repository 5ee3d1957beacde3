import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** A number from the environment (text) or the file; "abc" is refused as not a number. */
const numberSetting = () =>
  z.coerce.number({
    // Only "not a number" is reworded; range checks keep zod's own "Too small: ..." messages.
    error: (issue) => (issue.code === 'invalid_type' ? 'expected a number' : undefined),
  });

/** Settings by their environment names; a config file uses the same names as JSON keys. */
const settingsSchema = z.object({
  PLUMBLINE_DATA_DIR: z.string().min(1).default('./.plumbline'),
  PLUMBLINE_HOST: z.string().min(1).default('127.0.0.1'),
  PLUMBLINE_PORT: numberSetting().int().min(0).max(65_535).default(8080),
  /** How the browser reaches the service; decides whether cookies are marked Secure. */
  PLUMBLINE_PUBLIC_URL: z.url().optional(),
  PLUMBLINE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  PLUMBLINE_MAX_BODY_BYTES: numberSetting()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  PLUMBLINE_SESSION_TTL_HOURS: numberSetting()
    .positive()
    .max(24 * 30)
    .default(12),
  /** How long shutdown waits for requests in flight before it closes their connections. */
  PLUMBLINE_SHUTDOWN_GRACE_MS: numberSetting().int().min(0).max(600_000).default(10_000),
  /**
   * The key that seals secrets at rest (Nautobot tokens, job-signing keys). Made on first start.
   * Defaults to `seal.key` in the data directory; keep it apart from database backups.
   */
  PLUMBLINE_SEAL_KEY_FILE: z.string().min(1).optional(),
  /** Tunnel liveness; defaults from `shared/reference/tunnels.md`. */
  PLUMBLINE_TUNNEL_PING_INTERVAL_MS: numberSetting().int().min(100).max(600_000).default(20_000),
  PLUMBLINE_TUNNEL_DEAD_PEER_MS: numberSetting().int().min(200).max(3_600_000).default(45_000),
  PLUMBLINE_TUNNEL_HANDSHAKE_TIMEOUT_MS: numberSetting()
    .int()
    .min(100)
    .max(120_000)
    .default(10_000),
});

export interface CloudConfig {
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: string;
  maxBodyBytes: number;
  sessionTtlMs: number;
  shutdownGraceMs: number;
  secureCookies: boolean;
  sealKeyFile: string;
  tunnel: { pingIntervalMs: number; deadPeerMs: number; handshakeTimeoutMs: number };
}

/** A setting that cannot be used; the message names it and says what it needs. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the settings from `PLUMBLINE_CONFIG` (a JSON file, optional) and then the environment,
 * which wins. Every value is validated; the first bad one stops start-up with its name.
 */
export function loadCloudConfig(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const fromFile = env.PLUMBLINE_CONFIG ? readConfigFile(env.PLUMBLINE_CONFIG) : {};
  const fromEnv = Object.fromEntries(
    Object.keys(settingsSchema.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])),
  );
  const parsed = settingsSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    const source = name in fromEnv ? 'the environment' : 'the config file';
    const value = JSON.stringify({ ...fromFile, ...fromEnv }[name]);
    throw new ConfigError(`${name}=${value} (from ${source}) is not usable: ${issue?.message}`);
  }

  const settings = parsed.data;
  const publicUrl =
    settings.PLUMBLINE_PUBLIC_URL ?? `http://${settings.PLUMBLINE_HOST}:${settings.PLUMBLINE_PORT}`;
  return {
    dataDir: settings.PLUMBLINE_DATA_DIR,
    host: settings.PLUMBLINE_HOST,
    port: settings.PLUMBLINE_PORT,
    publicUrl,
    logLevel: settings.PLUMBLINE_LOG_LEVEL,
    maxBodyBytes: settings.PLUMBLINE_MAX_BODY_BYTES,
    sessionTtlMs: settings.PLUMBLINE_SESSION_TTL_HOURS * 3_600_000,
    shutdownGraceMs: settings.PLUMBLINE_SHUTDOWN_GRACE_MS,
    secureCookies: publicUrl.startsWith('https:'),
    sealKeyFile: settings.PLUMBLINE_SEAL_KEY_FILE ?? join(settings.PLUMBLINE_DATA_DIR, 'seal.key'),
    tunnel: {
      pingIntervalMs: settings.PLUMBLINE_TUNNEL_PING_INTERVAL_MS,
      deadPeerMs: settings.PLUMBLINE_TUNNEL_DEAD_PEER_MS,
      handshakeTimeoutMs: settings.PLUMBLINE_TUNNEL_HANDSHAKE_TIMEOUT_MS,
    },
  };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`PLUMBLINE_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`PLUMBLINE_CONFIG: ${path} is not JSON: ${(error as Error).message}`);
  }
  const known = z.record(z.string(), z.unknown()).safeParse(value);
  if (!known.success) throw new ConfigError(`PLUMBLINE_CONFIG: ${path} must hold a JSON object`);
  const unknownKeys = Object.keys(known.data).filter((key) => !(key in settingsSchema.shape));
  if (unknownKeys.length > 0) {
    throw new ConfigError(
      `PLUMBLINE_CONFIG: ${path} has unknown settings ${unknownKeys.join(', ')}; ` +
        `known: ${Object.keys(settingsSchema.shape).join(', ')}`,
    );
  }
  return known.data;
}
