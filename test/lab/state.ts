import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { labStateFile, runDir } from './paths.js';

const tokenKey = z.string().regex(/^[0-9a-f]{40}$/);

export const nautobotLabStateSchema = z.object({
  url: z.url(),
  version: z.string(),
  adminUsername: z.string(),
  adminPassword: z.string(),
  tokens: z.object({
    /** The admin's token with writes enabled. */
    readWrite: tokenKey,
    /** The admin's token with `write_enabled` false. */
    readOnly: tokenKey,
    /** A user whose one object permission is `view` on `dcim.device`: no interfaces, no IPs. */
    devicesOnly: tokenKey,
  }),
});

export const frrLabStateSchema = z.object({
  host: z.literal('127.0.0.1'),
  port: z.number().int(),
  username: z.string(),
  password: z.string(),
  privateKeyPath: z.string(),
  /** sha256 fingerprint of the lab sshd's host key, as `ssh-keygen -l` prints it. */
  hostKeySha256: z.string(),
});

export const seedCountsSchema = z.record(z.string(), z.number().int().nonnegative());

export const labStateSchema = z.object({
  startedAt: z.iso.datetime(),
  nautobot: nautobotLabStateSchema,
  frr: frrLabStateSchema,
  seed: z.object({ devices: z.number().int().positive(), counts: seedCountsSchema }),
});

export type LabState = z.infer<typeof labStateSchema>;
export type NautobotLabState = z.infer<typeof nautobotLabStateSchema>;
export type FrrLabState = z.infer<typeof frrLabStateSchema>;

/** Reads lab.json; throws a message that says how to start the lab when it is missing. */
export function readLabState(): LabState {
  let text: string;
  try {
    text = readFileSync(labStateFile, 'utf8');
  } catch {
    throw new Error(
      `the lab is not running (no ${labStateFile}); start it with: test/lab/lab start`,
    );
  }
  return labStateSchema.parse(JSON.parse(text));
}

/** lab.json holds passwords and tokens, so only its owner may read it. */
export function writeLabState(state: LabState): void {
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  writeFileSync(labStateFile, `${JSON.stringify(labStateSchema.parse(state), null, 2)}\n`, {
    mode: 0o600,
  });
  chmodSync(labStateFile, 0o600);
}
