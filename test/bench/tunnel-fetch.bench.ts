/**
 * tunnelFetch against a direct fetch: the same bodies from the same local HTTP server, read to
 * the end, through TunnelHttpClient + HttpForwarder over a real ws pair on loopback and with
 * Node's fetch directly. Prints medians per size, the median of per-round ratios (tunnel /
 * direct) and the process's peak RSS. Asserts nothing about time.
 *
 *   pnpm bench:tunnel-fetch [--rounds N] [--sizes-mib 1,50]
 *
 * Both halves of the tunnel run in this one process, so the peak RSS covers cloud, agent,
 * target server and the bench itself. `measureFetchRatio` is exported for benchmarks that put
 * the real hub and agent in place of the link pair.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { connectTunnelHttp, TargetServer } from '../support/tunnelHttpFixture.ts';
import { median } from './benchStats.ts';

export interface FetchRatioRow {
  bytes: number;
  rounds: number;
  tunnelMedianMs: number;
  directMedianMs: number;
  /** Median of the per-round ratios tunnel / direct. */
  ratio: number;
}

export interface FetchRatioInput {
  direct: typeof fetch;
  tunnel: typeof fetch;
  /** The URL that answers a body of `bytes` bytes. */
  urlFor(bytes: number): string;
  sizes: number[];
  rounds: number;
}

/**
 * For each size: one warm-up fetch each way, then `rounds` rounds of one tunnel and one direct
 * fetch (alternating which goes first), each read to the end and its length checked.
 */
export async function measureFetchRatio(input: FetchRatioInput): Promise<FetchRatioRow[]> {
  const rows: FetchRatioRow[] = [];
  for (const bytes of input.sizes) {
    const url = input.urlFor(bytes);
    await readToEnd(input.direct, url, bytes);
    await readToEnd(input.tunnel, url, bytes);
    const tunnel: number[] = [];
    const direct: number[] = [];
    for (let round = 0; round < input.rounds; round++) {
      const tunnelFirst = round % 2 === 0;
      for (const viaTunnel of tunnelFirst ? [true, false] : [false, true]) {
        const took = await readToEnd(viaTunnel ? input.tunnel : input.direct, url, bytes);
        (viaTunnel ? tunnel : direct).push(took);
      }
    }
    const ratios = tunnel.map((took, index) => took / (direct[index] ?? Number.NaN));
    rows.push({
      bytes,
      rounds: input.rounds,
      tunnelMedianMs: median(tunnel),
      directMedianMs: median(direct),
      ratio: median(ratios),
    });
  }
  return rows;
}

export function formatFetchRatio(rows: FetchRatioRow[]): string {
  const mibPerS = (bytes: number, ms: number) => ((bytes / 2 ** 20 / ms) * 1000).toFixed(1);
  const header =
    `${'body'.padEnd(10)}${'rounds'.padStart(8)}${'tunnel ms'.padStart(12)}${'MiB/s'.padStart(9)}` +
    `${'direct ms'.padStart(12)}${'MiB/s'.padStart(9)}${'tunnel/direct'.padStart(15)}`;
  const lines = rows.map(
    (row) =>
      `${`${(row.bytes / 2 ** 20).toFixed(row.bytes < 2 ** 20 ? 2 : 0)} MiB`.padEnd(10)}` +
      `${String(row.rounds).padStart(8)}${row.tunnelMedianMs.toFixed(1).padStart(12)}` +
      `${mibPerS(row.bytes, row.tunnelMedianMs).padStart(9)}` +
      `${row.directMedianMs.toFixed(1).padStart(12)}` +
      `${mibPerS(row.bytes, row.directMedianMs).padStart(9)}` +
      `${`${row.ratio.toFixed(2)}x`.padStart(15)}`,
  );
  return [header, ...lines].join('\n');
}

async function readToEnd(fetcher: typeof fetch, url: string, bytes: number): Promise<number> {
  const started = performance.now();
  const response = await fetcher(url);
  if (response.status !== 200 || !response.body) {
    throw new Error(`GET ${url} answered ${response.status}, expected 200 with a body`);
  }
  let read = 0;
  for await (const chunk of response.body) read += chunk.byteLength;
  if (read !== bytes) throw new Error(`GET ${url} gave ${read} bytes, expected ${bytes}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      'sizes-mib': { type: 'string', default: '1,50' },
    },
  });
  const rounds = Number(values.rounds);
  const sizes = values['sizes-mib'].split(',').map((mib) => Math.round(Number(mib) * 2 ** 20));
  if (!Number.isInteger(rounds) || rounds < 1 || sizes.some((size) => !(size > 0))) {
    throw new Error('expected --rounds N (N >= 1) and --sizes-mib as positive numbers, e.g. 1,50');
  }
  const target = await TargetServer.start();
  const tunnel = await connectTunnelHttp();
  try {
    await tunnel.registerTargets([`${target.baseUrl}/api/`]);
    const rows = await measureFetchRatio({
      direct: fetch,
      tunnel: tunnel.client.fetch,
      urlFor: (bytes) => `${target.baseUrl}/api/blob?bytes=${bytes}`,
      sizes,
      rounds,
    });
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(
      `tunnelFetch (TunnelHttpClient + HttpForwarder over ws on loopback) against direct fetch, ` +
        `Node ${process.version}\n${formatFetchRatio(rows)}\n` +
        `peak RSS of this process (cloud + agent + target + bench): ${peakRssMiB.toFixed(0)} MiB\n`,
    );
  } finally {
    await tunnel.close();
    await target.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
