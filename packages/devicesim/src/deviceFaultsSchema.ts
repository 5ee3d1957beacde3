import { z } from 'zod';
import type { DeviceFaults } from './DeviceFaults.ts';

/** Longest fault pattern accepted; patterns run against every command line a device gets. */
const maxPatternChars = 200;
const maxFloodBytes = 256 * 1024 * 1024;

const pattern = z
  .string()
  .min(1)
  .max(maxPatternChars)
  .transform((source, ctx) => {
    try {
      return new RegExp(source);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `not a regular expression: ${error instanceof Error ? error.message : error}`,
      });
      return z.NEVER;
    }
  });

/**
 * Faults as a config file gives them, per device: patterns are regular expressions as strings.
 * `failCommit` fails the first commit only, as the run-time switch does.
 */
export const deviceFaultsSchema = z.strictObject({
  slowOutputBytesPerSecond: z.number().int().min(10).max(100_000_000).optional(),
  disconnectOn: pattern.optional(),
  hangOn: pattern.optional(),
  rejectLogins: z.boolean().optional(),
  changeHostKey: z.boolean().optional(),
  failCommit: z.boolean().optional(),
  ansiNoise: z.boolean().optional(),
  endlessPaging: z.boolean().optional(),
  flood: z
    .strictObject({ on: pattern, bytes: z.number().int().min(1).max(maxFloodBytes) })
    .optional(),
});

/** The parsed faults without keys zod left undefined (`exactOptionalPropertyTypes`). */
export function withoutUndefined(faults: z.infer<typeof deviceFaultsSchema>): DeviceFaults {
  return Object.fromEntries(
    Object.entries(faults).filter(([, value]) => value !== undefined),
  ) as DeviceFaults;
}

/** `--fault NAME[=VALUE]` names, each the config file's key in kebab case. */
export const faultFlagNames = [
  'slow-output=BYTES_PER_SECOND',
  'disconnect-on=REGEX',
  'hang-on=REGEX',
  'reject-logins',
  'change-host-key',
  'fail-commit',
  'ansi-noise',
  'endless-paging',
] as const;

const flagKeys: Record<string, keyof DeviceFaults> = {
  'slow-output': 'slowOutputBytesPerSecond',
  'disconnect-on': 'disconnectOn',
  'hang-on': 'hangOn',
  'reject-logins': 'rejectLogins',
  'change-host-key': 'changeHostKey',
  'fail-commit': 'failCommit',
  'ansi-noise': 'ansiNoise',
  'endless-paging': 'endlessPaging',
};

/**
 * Faults from repeated `--fault` flags, e.g. `--fault slow-output=2000 --fault fail-commit`.
 * Throws an Error naming the flag and what it expected.
 */
export function faultsFromFlags(flags: readonly string[]): DeviceFaults {
  const raw: Record<string, unknown> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const name = equals === -1 ? flag : flag.slice(0, equals);
    const value = equals === -1 ? undefined : flag.slice(equals + 1);
    const key = flagKeys[name];
    if (key === undefined) {
      throw new Error(`--fault ${name}: unknown fault (have: ${faultFlagNames.join(', ')})`);
    }
    const wantsValue =
      key === 'slowOutputBytesPerSecond' || key === 'disconnectOn' || key === 'hangOn';
    if (wantsValue !== (value !== undefined)) {
      const expected = faultFlagNames.find((n) => n.startsWith(name)) ?? name;
      throw new Error(`--fault ${flag}: expected --fault ${expected}`);
    }
    raw[key] = key === 'slowOutputBytesPerSecond' ? Number(value) : (value ?? true);
  }
  const parsed = deviceFaultsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const name = Object.keys(flagKeys).find((flagName) => flagKeys[flagName] === key) ?? key;
    throw new Error(`--fault ${name}: ${issue?.message}`);
  }
  return withoutUndefined(parsed.data);
}
