import { rmSync } from 'node:fs';
import { frrIsRunning, startFrr, stopFrr } from './frr.js';
import { nautobotUrl } from './nautobot/environment.js';
import {
  adminPassword,
  adminUsername,
  ensureTemplateDatabase,
  ensureVenv,
  type Report,
  recreateLabDatabase,
} from './nautobot/install.js';
import { createLabTokens } from './nautobot/labTokens.js';
import { dropDatabase } from './nautobot/postgres.js';
import {
  nautobotHealthy,
  nautobotProcessesAlive,
  startNautobot,
  stopNautobot,
} from './nautobot/server.js';
import { removeStaleNamespaces } from './netns.js';
import { labDatabaseName, labStateFile, NAUTOBOT_VERSION, nautobotCacheKey } from './paths.js';
import { applyInventory, planInventory } from './seed/index.js';
import { type LabState, readLabState, writeLabState } from './state.js';

export const DEFAULT_DEVICE_COUNT = 12;

export interface StartLabOptions {
  devices?: number;
  report?: Report;
}

/**
 * Starts the lab, or leaves it alone when it already runs with the requested size. A start
 * always begins from a fresh copy of the migrated template and seeds it, so every run of the
 * tests meets the same Nautobot.
 */
export async function startLab(options: StartLabOptions = {}): Promise<LabState> {
  const devices = options.devices ?? DEFAULT_DEVICE_COUNT;
  const report = options.report ?? (() => {});
  const running = await runningLab();
  if (running?.seed.devices === devices) {
    report(`lab already running (${devices} devices); nothing to do`);
    return running;
  }

  await stopNautobot();
  const key = nautobotCacheKey();
  const [frr] = await Promise.all([startFrr(), prepareNautobot(key, report)]);
  report('FRR router up with SSH on 127.0.0.1');

  await recreateLabDatabase(key, labDatabaseName);
  await startNautobot(key, labDatabaseName);
  report(`Nautobot ${NAUTOBOT_VERSION} healthy at ${nautobotUrl}`);

  const tokens = await createLabTokens();
  const plan = planInventory(devices);
  report(`seeding ${devices} devices through the REST API`);
  const seeded = await applyInventory(plan, {
    url: nautobotUrl,
    token: tokens.readWrite,
    onProgress: (step, done, total) => report(`  ${step}: ${done}/${total}`),
  });

  const state: LabState = {
    startedAt: new Date().toISOString(),
    nautobot: {
      url: nautobotUrl,
      version: NAUTOBOT_VERSION,
      adminUsername,
      adminPassword: adminPassword(),
      tokens,
    },
    frr,
    seed: { devices, counts: seeded.counts },
  };
  writeLabState(state);
  return state;
}

async function prepareNautobot(key: string, report: Report): Promise<void> {
  await ensureVenv(key, report);
  await ensureTemplateDatabase(key, report);
}

/** Stops everything the lab started and drops its database; the caches stay for next time. */
export async function stopLab(): Promise<void> {
  rmSync(labStateFile, { force: true });
  await Promise.all([stopNautobot(), stopFrr(), removeStaleNamespaces()]);
  await dropDatabase(labDatabaseName);
}

/** The lab's state when all of it is up, else undefined. */
export async function runningLab(): Promise<LabState | undefined> {
  let state: LabState;
  try {
    state = readLabState();
  } catch {
    return undefined;
  }
  const up = nautobotProcessesAlive() && (await nautobotHealthy()) && (await frrIsRunning());
  return up ? state : undefined;
}
