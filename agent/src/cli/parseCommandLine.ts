import { parseArgs } from 'node:util';
import { UsageError } from './UsageError.ts';

const options = {
  cloud: { type: 'string' },
  token: { type: 'string' },
  'state-dir': { type: 'string' },
  name: { type: 'string' },
  force: { type: 'boolean' },
  'read-only': { type: 'boolean' },
  'health-port': { type: 'string' },
  'health-host': { type: 'string' },
  'no-health': { type: 'boolean' },
  'ca-file': { type: 'string' },
} as const;

export type CommandLine = ReturnType<typeof parseCommandLine>;

export function parseCommandLine(args: string[], env: NodeJS.ProcessEnv) {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const values = parsed.values;
  return {
    command,
    cloud: values.cloud,
    token: values.token ?? env.PLUMBLINE_AGENT_TOKEN,
    stateDir: values['state-dir'] ?? env.PLUMBLINE_AGENT_STATE_DIR ?? './.plumbline-agent',
    name: values.name,
    force: values.force ?? false,
    readOnly: values['read-only'] ?? false,
    healthPort: values['no-health'] ? (false as const) : port(values['health-port'] ?? '9465'),
    healthHost: values['health-host'] ?? '127.0.0.1',
    caFile: values['ca-file'] ?? env.PLUMBLINE_AGENT_CA_FILE,
  };
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new UsageError(`--health-port "${text}" is not a port; expected 0 to 65535`);
  }
  return value;
}
