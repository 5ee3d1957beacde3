/**
 * Figures and printing the benchmarks share: middle values, percentiles, sizes in MiB, the
 * machine a run was measured on.
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The middle value; the mean of the two middle ones for an even count; NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The nearest-rank percentile `p` (0-100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** Bytes as "12.3 MiB"; "n/a" for a figure that was not measured. */
export function mib(bytes: number | undefined): string {
  if (bytes === undefined || Number.isNaN(bytes)) return 'n/a';
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** CPU count and model, memory, load and Node version, for the head of a benchmark's output. */
export function describeMachine(): string {
  const cores = cpus();
  return [
    `${cores.length} x ${cores[0]?.model.trim() ?? 'unknown CPU'}`,
    `${mib(totalmem())} RAM (${mib(freemem())} free)`,
    `load ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
    `node ${process.version}`,
  ].join(', ');
}

export function sayToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}
