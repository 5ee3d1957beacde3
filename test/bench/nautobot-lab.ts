/**
 * The benchmark-size Nautobot, beside the lab's (see nautobot-benchLab.ts):
 *
 *   pnpm bench:nautobot-lab start [--devices 2000]   # first time: seeds, about 17 minutes
 *   pnpm bench:nautobot-lab status
 *   pnpm bench:nautobot-lab stop                     # the seeded template stays
 *
 * A benchmark calls startBenchNautobot() itself and reads url, token and counts from it.
 */
import { parseArgs } from 'node:util';
import {
  defaultBenchDevices,
  runningBenchNautobot,
  startBenchNautobot,
  stopBenchNautobot,
} from './nautobot-benchLab.ts';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { devices: { type: 'string' } },
  });
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  switch (positionals[0]) {
    case 'start': {
      const devices = Number(values.devices ?? defaultBenchDevices);
      if (!Number.isInteger(devices) || devices < 1) {
        throw new Error(`--devices takes a whole number, got "${values.devices}"`);
      }
      const state = await startBenchNautobot({
        devices,
        report: (line) => say(`[${elapsed()}] ${line}`),
      });
      say(`bench Nautobot ready in ${elapsed()}: ${state.url}, ${state.devices} devices`);
      return 0;
    }
    case 'status': {
      const state = await runningBenchNautobot();
      if (state === undefined) {
        say('bench Nautobot not running');
        return 1;
      }
      const counts = Object.entries(state.counts).map(([name, n]) => `${name} ${n}`);
      say(`bench Nautobot ${state.version} at ${state.url} since ${state.startedAt}`);
      say(`  database ${state.database}, a copy of ${state.template}`);
      say(`  seeded in ${state.seedSeconds} s: ${counts.join(', ')}`);
      return 0;
    }
    case 'stop':
      await stopBenchNautobot();
      say(`bench Nautobot stopped in ${elapsed()}`);
      return 0;
    default:
      process.stderr.write('usage: pnpm bench:nautobot-lab start [--devices N] | status | stop\n');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench:nautobot-lab: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
