import { createLogger } from '@plumbline/log';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliActor } from '../testing/createTestCloud.ts';
import { SotScheduler } from './SotScheduler.ts';
import { createSotTestBed } from './testing/createSotTestBed.ts';

const minute = 60_000;

afterEach(() => {
  vi.useRealTimers();
});

/** Moves the store's clock and the fake interval timer together, then lets started runs end. */
async function advance(bed: Awaited<ReturnType<typeof createSotTestBed>>, ms: number) {
  bed.cloud.clock.advance(ms);
  await vi.advanceTimersByTimeAsync(ms);
  await bed.runner.idle();
}

describe('the resync schedule', () => {
  it('syncs an enabled integration when its interval has passed, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const bed = await createSotTestBed();
    const scheduler = new SotScheduler({
      store: bed.cloud.store,
      runner: bed.runner,
      logger: createLogger({ name: 'test', level: 'silent' }),
      checkIntervalMs: minute,
    });
    scheduler.start();
    const runs = () => bed.sot.listRuns(bed.integration.id, 100);

    await advance(bed, minute);
    expect((await runs()).map((r) => [r.trigger, r.mode, r.state])).toEqual([
      ['schedule', 'full', 'succeeded'],
    ]);

    await advance(bed, 13 * minute);
    expect(await runs()).toHaveLength(1);

    await advance(bed, 2 * minute);
    const after = await runs();
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({
      trigger: 'schedule',
      mode: 'incremental',
      state: 'succeeded',
    });

    await scheduler.stop();
    await advance(bed, 60 * minute);
    expect(await runs()).toHaveLength(2);
  });

  it('leaves a disabled integration alone', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const bed = await createSotTestBed();
    await bed.sot.updateIntegration(
      bed.integration.id,
      { enabled: false },
      bed.cloud.sealer,
      cliActor,
    );
    const scheduler = new SotScheduler({
      store: bed.cloud.store,
      runner: bed.runner,
      logger: createLogger({ name: 'test', level: 'silent' }),
      checkIntervalMs: minute,
    });
    scheduler.start();

    await advance(bed, 120 * minute);

    expect(await bed.sot.listRuns(bed.integration.id, 100)).toEqual([]);
    await scheduler.stop();
  });

  it('does not start a second run while one is in progress', async () => {
    const bed = await createSotTestBed();
    const scheduler = new SotScheduler({
      store: bed.cloud.store,
      runner: bed.runner,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    const first = await scheduler.tick();
    const second = await scheduler.tick();
    await bed.runner.idle();

    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });
});
