import { describe, expect, it } from 'vitest';
import { runSyncBenchmark, syncedResources } from '../bench/nautobot-sync.bench.ts';
import { readLabState } from '../lab/state.ts';

/**
 * Keeps `pnpm bench:sync` from rotting: one round against the lab's 12-device Nautobot must
 * read the same objects both ways, leave the seeded devices in the mirror and print its tables.
 * It checks what is counted and printed, never how fast: speed is for people to read.
 */
describe('bench:sync on the lab Nautobot', () => {
  it('reads the same objects plainly and by syncing, and prints times and ratio', async () => {
    const lab = readLabState();
    const lines: string[] = [];

    const [round, ...more] = await runSyncBenchmark({
      url: lab.nautobot.url,
      token: lab.nautobot.tokens.readOnly,
      rounds: 1,
      say: (line) => lines.push(...line.split('\n')),
    });

    expect(more).toEqual([]);
    expect(round?.sync.mirror?.devices).toBe(lab.seed.devices);
    for (const resource of syncedResources) {
      const plain = round?.plain.perResource[resource]?.objects;
      expect({ resource, objects: round?.sync.perResource[resource]?.objects }).toEqual({
        resource,
        objects: plain,
      });
    }
    expect(round?.sync.objects).toBe(round?.plain.objects);
    expect(round?.plain.objects).toBeGreaterThan(lab.seed.devices);

    const printed = lines.join('\n');
    const objects = String(round?.plain.objects);
    expect(printed).toMatch(new RegExp(`^round 1 {2}plain ${objects} objects, 15 requests, `, 'm'));
    expect(printed).toMatch(
      new RegExp(`^round 1 {2}sync {2}${objects} objects, \\d+ requests, `, 'm'),
    );
    expect(printed).toMatch(
      new RegExp(`^plain +${objects} +15 +\\d+\\.\\d\\d +\\d+ +[\\d.]+ MiB`, 'm'),
    );
    expect(printed).toMatch(
      new RegExp(`^sync +${objects} +\\d+ +\\d+\\.\\d\\d +\\d+ +[\\d.]+ MiB`, 'm'),
    );
    expect(printed).toMatch(/^ratio sync\/plain \(time, median of rounds\): \d+\.\d\dx; /m);
    expect(printed).toMatch(/^devices +12 +\d+ +\d+ +\d+$/m);
    expect(printed).toMatch(
      /^sync: [\d.]+ s from the POST to the first listing .*, [\d.]+ s listing, /m,
    );
  }, 180_000);
});
