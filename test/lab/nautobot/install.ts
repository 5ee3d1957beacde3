import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constraintsFile, requirementsFile, templateDatabaseName, venvDir } from '../paths.js';
import { run } from '../run.js';
import { nautobotEnvironment, persistentSecret } from './environment.js';
import { createDatabaseFromTemplate, databaseExists, dropDatabase, sql } from './postgres.js';

export type Report = (message: string) => void;

export const adminUsername = 'admin';

export function adminPassword(): string {
  return persistentSecret('nautobot-admin-password');
}

/**
 * Builds the venv once per cache key. A marker file is written last, so an interrupted install
 * is never mistaken for a good one: without the marker the venv is rebuilt from scratch.
 */
export async function ensureVenv(key: string, report: Report): Promise<void> {
  const dir = venvDir(key);
  const marker = join(dir, '.plumbline-complete');
  if (existsSync(marker)) return;

  rmSync(dir, { recursive: true, force: true });
  report(`building the Nautobot venv in ${dir} (about a minute)`);
  await run('python3', ['-m', 'venv', dir]);
  const pip = join(dir, 'bin', 'pip');
  await run(pip, ['install', '--quiet', '--upgrade', 'pip']);
  await run(pip, ['install', '--quiet', '-r', requirementsFile, '-c', constraintsFile]);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

/**
 * Makes the migrated template database once per cache key: migrations take minutes, a copy of
 * the template takes seconds. Like the venv, it is built under another name and renamed.
 */
export async function ensureTemplateDatabase(key: string, report: Report): Promise<void> {
  const template = templateDatabaseName(key);
  // The marker lives in the cache beside the admin password; a template without it was made
  // with a password this cache no longer knows, so it is rebuilt.
  const marker = join(venvDir(key), '.plumbline-template-ready');
  if (existsSync(marker) && (await databaseExists(template))) return;

  await dropDatabase(template);

  const building = `${template}_building`;
  await dropDatabase(building);
  await sql(`CREATE DATABASE "${building}"`);
  const env = nautobotEnvironment(key, building);

  report(`migrating a new Nautobot database (a few minutes, once per version): ${template}`);
  await run('nautobot-server', ['migrate', '--no-input'], { env });
  await run('nautobot-server', ['collectstatic', '--no-input', '--clear'], { env });
  await run(
    'nautobot-server',
    ['createsuperuser', '--noinput', '--username', adminUsername, '--email', 'admin@lab.invalid'],
    { env: { ...env, DJANGO_SUPERUSER_PASSWORD: adminPassword() } },
  );
  await sql(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
  writeFileSync(marker, `${template}\n`);
}

/** A fresh lab database: the template's copy, so every start begins from the same state. */
export async function recreateLabDatabase(key: string, name: string): Promise<void> {
  await dropDatabase(name);
  await createDatabaseFromTemplate(name, templateDatabaseName(key));
}
