import { parseArgs } from 'node:util';
import { resetFrr } from './frr.js';
import { DEFAULT_DEVICE_COUNT, runningLab, startLab, stopLab } from './lab.js';

const USAGE = `usage: test/lab/lab <command>

  start [--devices N]   start Nautobot, seeded with N devices (default ${DEFAULT_DEVICE_COUNT}), and
                        the FRR router; does nothing when the lab already runs with N devices
  stop                  stop everything the lab started; caches stay for a fast next start
  status                print the lab's state; exit 1 when it is not running
  reset-frr             put the FRR router back to its baseline configuration
`;

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { devices: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  });
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  switch (positionals[0]) {
    case 'start': {
      const devices = parseDeviceCount(values.devices);
      const state = await startLab({ devices, report: (line) => say(`[${elapsed()}] ${line}`) });
      say(
        `lab ready in ${elapsed()}: Nautobot ${state.nautobot.url}, ` +
          `FRR ssh ${state.frr.host}:${state.frr.port}`,
      );
      return 0;
    }
    case 'stop':
      await stopLab();
      say(`lab stopped in ${elapsed()}`);
      return 0;
    case 'status': {
      const state = await runningLab();
      if (!values.quiet) say(state === undefined ? 'lab not running' : describe(state));
      return state === undefined ? 1 : 0;
    }
    case 'reset-frr':
      await resetFrr();
      say(`FRR reset to baseline in ${elapsed()}`);
      return 0;
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

function parseDeviceCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_DEVICE_COUNT;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 20_000) {
    throw new Error(`--devices takes a whole number from 1 to 20000, got "${text}"`);
  }
  return count;
}

function describe(state: Awaited<ReturnType<typeof runningLab>> & object): string {
  const counts = Object.entries(state.seed.counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  return [
    `lab running since ${state.startedAt}`,
    `  Nautobot ${state.nautobot.version}: ${state.nautobot.url}`,
    `  Nautobot admin user: ${state.nautobot.adminUsername}`,
    `  FRR: ssh ${state.frr.username}@${state.frr.host} -p ${state.frr.port}`,
    `  seeded: ${counts}`,
    '  tokens and passwords: in lab.json (mode 0600) beside the lab cache',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
