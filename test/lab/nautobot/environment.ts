import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, nautobotConfigFile, nautobotRootDir, venvDir } from '../paths.js';

export const nautobotPort = Number(process.env.PLUMBLINE_LAB_NAUTOBOT_PORT ?? '8480');
export const nautobotUrl = `http://127.0.0.1:${nautobotPort}`;

/** Redis databases of the lab's own (see nautobot_config.py); flushed when the lab starts. */
export const redisBrokerDb = 10;
export const redisCacheDb = 11;

/**
 * A random value generated once per cache and kept beside it, mode 0600: the Django secret key
 * and the admin password must stay the same across starts, or the template's admin could not
 * log in.
 */
export function persistentSecret(name: string): string {
  const file = join(cacheDir, `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const value = randomBytes(30).toString('base64url');
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}

/** The environment every `nautobot-server` command of the lab runs with. */
export function nautobotEnvironment(key: string, databaseName: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(venvDir(key), 'bin')}:${process.env.PATH ?? ''}`,
    NAUTOBOT_CONFIG: nautobotConfigFile,
    NAUTOBOT_ROOT: nautobotRootDir(key),
    NAUTOBOT_ALLOWED_HOSTS: '*',
    NAUTOBOT_SECRET_KEY: persistentSecret('django-secret-key'),
    NAUTOBOT_DB_NAME: databaseName,
    NAUTOBOT_DB_USER: process.env.PLUMBLINE_LAB_PGUSER ?? 'postgres',
    NAUTOBOT_DB_PASSWORD: process.env.PLUMBLINE_LAB_PGPASSWORD ?? '',
    NAUTOBOT_DB_HOST: '127.0.0.1',
    NAUTOBOT_DB_PORT: '5432',
    NAUTOBOT_REDIS_HOST: '127.0.0.1',
    NAUTOBOT_REDIS_PORT: '6379',
    NAUTOBOT_CELERY_BROKER_URL: `redis://127.0.0.1:6379/${redisBrokerDb}`,
    PLUMBLINE_LAB_REDIS_CACHE_DB: String(redisCacheDb),
    // Celery writes heartbeat files; keep them in the lab's cache instead of the shared /tmp.
    NAUTOBOT_CELERY_WORKER_HEARTBEAT_FILE: join(cacheDir, 'run', 'celery-heartbeat'),
    NAUTOBOT_CELERY_WORKER_READINESS_FILE: join(cacheDir, 'run', 'celery-ready'),
  };
}
