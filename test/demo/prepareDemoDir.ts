import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DemoError } from './DemoError.ts';

/** The file that says a directory was made by the demo, so a new start may wipe it. */
const markerName = '.plumbline-demo';

export interface DemoPaths {
  root: string;
  cloudData: string;
  agentState: string;
  logs: string;
  /** The admin's API token, alone on one line (0600). */
  apiTokenFile: string;
  /** The admin's password, alone on one line (0600). */
  adminPasswordFile: string;
  /** The simulated devices with their logins (0600), in the devicesim inventory format. */
  fleetInventoryFile: string;
}

/**
 * Empties the demo's directory (0700) for a fresh start: every run begins with a new store and
 * a new agent. A directory that holds files but not the demo's marker is refused, so a wrong
 * `--data-dir` never deletes someone's data.
 */
export function prepareDemoDir(dir: string): DemoPaths {
  const root = resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0) {
    if (!existsSync(join(root, markerName))) {
      throw new DemoError(
        'data_dir_foreign',
        `${root} holds files the demo did not make (no ${markerName} marker in it); ` +
          'the demo empties its directory at every start, so choose another --data-dir',
      );
    }
    rmSync(root, { recursive: true, force: true });
  }

  const paths: DemoPaths = {
    root,
    cloudData: join(root, 'cloud'),
    agentState: join(root, 'agent'),
    logs: join(root, 'logs'),
    apiTokenFile: join(root, 'api-token'),
    adminPasswordFile: join(root, 'admin-password'),
    fleetInventoryFile: join(root, 'fleet.json'),
  };
  for (const path of [root, paths.cloudData, paths.agentState, paths.logs]) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  }
  writeFileSync(join(root, markerName), 'made by test/demo; emptied at every demo start\n');
  return paths;
}
