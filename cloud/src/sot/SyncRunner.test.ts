import { describe, expect, it } from 'vitest';
import { SyncAlreadyRunning } from '../store/SotStore.ts';
import { mirrorTables } from '../store/sotRecords.ts';
import { cliActor } from '../testing/createTestCloud.ts';
import { SyncRunner } from './SyncRunner.ts';
import { createSotTestBed, type RecordedObject, recordedList } from './testing/createSotTestBed.ts';
import { readRecording, replayFetch } from './testing/Recording.ts';

const manual = { mode: 'full' as const, trigger: 'manual' as const, actor: cliActor };

/** Everything in the mirror, for before/after comparisons. */
async function mirrorOf(bed: Awaited<ReturnType<typeof createSotTestBed>>) {
  const page = { limit: 10_000, offset: 0 };
  const id = bed.integration.id;
  const out: Record<string, unknown> = {};
  for (const table of mirrorTables) out[table] = await bed.sot.listMirror(id, table, page);
  return out;
}

describe('a sync run against recorded answers of the lab Nautobot', () => {
  it('mirrors every object Nautobot listed, with the fields a network engineer needs', async () => {
    const bed = await createSotTestBed();
    const run = await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await bed.runner.idle();

    const done = await bed.sot.getRun(bed.integration.id, run.id);
    expect(done.state).toBe('succeeded');
    const counts = await bed.sot.mirrorCounts(bed.integration.id);
    expect(counts).toMatchObject({
      sites: recordedList('/api/dcim/locations/').length,
      devices: recordedList('/api/dcim/devices/').length,
      interfaces: recordedList('/api/dcim/interfaces/').length,
      ipAddresses: recordedList('/api/ipam/ip-addresses/').length,
      interfaceIps: recordedList('/api/ipam/ip-address-to-interface/').length,
      prefixes: recordedList('/api/ipam/prefixes/').length,
      tags: recordedList('/api/extras/tags/').length,
      customFields: recordedList('/api/extras/custom-fields/').length,
    });
    expect(done.fetched).toBe(done.total);
    expect(done.total).toBeGreaterThan(200);

    const byId = (list: RecordedObject[]) => new Map(list.map((o) => [o.id, o]));
    const manufacturers = byId(recordedList('/api/dcim/manufacturers/'));
    const types = byId(recordedList('/api/dcim/device-types/'));
    const platforms = byId(recordedList('/api/dcim/platforms/'));
    for (const nb of recordedList('/api/dcim/devices/')) {
      const type = types.get((nb.device_type as { id: string }).id) as Record<string, unknown>;
      const vendor = manufacturers.get((type.manufacturer as { id: string }).id);
      const platform = platforms.get((nb.platform as { id: string }).id);
      const { device, interfaces } = await bed.sot.getDevice(bed.integration.id, nb.id as string);
      expect(device).toMatchObject({
        hostname: nb.name,
        serial: nb.serial,
        assetTag: nb.asset_tag,
        model: type.model,
        vendor: vendor?.name,
        platform: platform?.name,
        networkDriver: platform?.network_driver,
        siteId: (nb.location as { id: string }).id,
        primaryIp4Id: (nb.primary_ip4 as { id: string } | null)?.id ?? null,
        customFields: nb.custom_fields,
      });
      const recordedInterfaces = recordedList('/api/dcim/interfaces/').filter(
        (i) => (i.device as { id: string }).id === nb.id,
      );
      expect(interfaces.map((i) => i.name).sort()).toEqual(
        recordedInterfaces.map((i) => i.name).sort(),
      );
    }
  });

  it('leaves the previous mirror intact when a later run fails half-way', async () => {
    const bed = await createSotTestBed();
    await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await bed.runner.idle();
    const before = await mirrorOf(bed);

    // Same store and integration; only the transport breaks, at the interfaces listing.
    const { fetch } = replayFetch(readRecording('readWrite.json'), {
      failOn: '/api/dcim/interfaces/?limit=0',
    });
    const runner = new SyncRunner({ ...bed.deps, directFetch: fetch });
    const run = await runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await runner.idle();

    const failed = await bed.sot.getRun(bed.integration.id, run.id);
    expect(failed.state).toBe('failed');
    expect(failed.errorCode).toBe('connection_lost');
    expect(await mirrorOf(bed)).toEqual(before);
  });

  it('runs one sync at a time per integration: a second start names the running run', async () => {
    const bed = await createSotTestBed();
    const first = await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    const second = bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await expect(second).rejects.toBeInstanceOf(SyncAlreadyRunning);
    await expect(second).rejects.toMatchObject({ runId: first.id, code: 'conflict' });
    await bed.runner.idle();

    const third = await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await bed.runner.idle();
    expect((await bed.sot.getRun(bed.integration.id, third.id)).state).toBe('succeeded');
  });

  it('cancels a run: it ends cancelled and the mirror is as before', async () => {
    const bed = await createSotTestBed();
    const before = await mirrorOf(bed);
    const run = await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    const cancelled = await bed.runner.cancel(
      bed.tenant.tenantId,
      bed.integration.id,
      run.id,
      cliActor,
    );
    expect(cancelled).toMatchObject({ state: 'cancelled', errorCode: 'cancelled' });
    expect(await mirrorOf(bed)).toEqual(before);
  });

  it('fails a run with the permission Nautobot refused, and mirrors nothing', async () => {
    const bed = await createSotTestBed('devicesOnly.json');
    const run = await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await bed.runner.idle();
    const failed = await bed.sot.getRun(bed.integration.id, run.id);
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'permission_denied' });
    expect(failed.errorMessage).toContain('dcim.manufacturer');
    expect(Object.values(await bed.sot.mirrorCounts(bed.integration.id))).toEqual(Array(9).fill(0));
  });
});

describe('an incremental run', () => {
  it('reads only what changed since the last run and ends with the same mirror', async () => {
    const bed = await createSotTestBed();
    await bed.runner.start(bed.tenant.tenantId, bed.integration.id, manual);
    await bed.runner.idle();
    const afterFull = await mirrorOf(bed);
    bed.requests.length = 0;

    const run = await bed.runner.start(bed.tenant.tenantId, bed.integration.id, {
      ...manual,
      mode: 'incremental',
    });
    await bed.runner.idle();

    expect(await bed.sot.getRun(bed.integration.id, run.id)).toMatchObject({
      state: 'succeeded',
      mode: 'incremental',
    });
    const devices = bed.requests.filter((r) => r.startsWith('GET /api/dcim/devices/?'));
    expect(devices.every((r) => r.includes('last_updated__gte='))).toBe(true);
    expect(bed.requests.some((r) => r.includes('/api/extras/object-changes/'))).toBe(true);
    expect(await mirrorOf(bed)).toEqual(afterFull);
  });
});
