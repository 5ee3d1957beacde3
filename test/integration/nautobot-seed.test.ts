import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  applyInventory,
  countInventory,
  createNautobotClient,
  type NautobotClient,
  type PlannedDevice,
  planInventory,
  SeedError,
} from '../lab/seed/index.js';
import { readLabState } from '../lab/state.js';

/**
 * What the lab's seeder left in Nautobot, checked against a fresh plan of the lab's size. The
 * lab seeds once when it starts; this file only reads, so it can run any number of times.
 */
const lab = readLabState();
const plan = planInventory(lab.seed.devices);
let client: NautobotClient;

beforeAll(() => {
  client = createNautobotClient({ url: lab.nautobot.url, token: lab.nautobot.tokens.readWrite });
});

const named = z.object({ name: z.string() });

const deviceDetail = z.object({
  name: z.string(),
  serial: z.string(),
  asset_tag: z.string().nullable(),
  status: named,
  role: named,
  location: named,
  secrets_group: named,
  platform: z.object({ name: z.string(), network_driver: z.string() }),
  primary_ip4: z.object({ address: z.string() }),
  primary_ip6: z.object({ address: z.string() }),
  tags: z.array(named),
  custom_fields: z.record(z.string(), z.unknown()),
});

const page = <T extends z.ZodType>(row: T) =>
  z.object({ count: z.number(), next: z.string().nullable(), results: z.array(row) });

function plannedDevice(name: string | null): PlannedDevice {
  const device = plan.devices.find((d) => d.name === name);
  if (device === undefined) throw new Error(`the lab's plan has no device ${name}`);
  return device;
}

describe('the seeded lab Nautobot', () => {
  it('holds exactly as many objects of each type as the plan counts', async () => {
    expect(await countInventory(client)).toEqual(plan.counts);
  });

  it('recorded in lab.json the counts the seeder created, equal to the plan', () => {
    expect(lab.seed.counts).toEqual(plan.counts);
  });

  it.each([
    ['the first device', plan.devices[0]?.name ?? null],
    ['the lab FRR router', plan.labFrrDevice],
  ])('gives %s its primary IPs, platform driver, tags and custom fields', async (_, name) => {
    const device = plannedDevice(name);
    const found = await client.get(
      '/api/dcim/devices/',
      { name: device.name, depth: '1' },
      page(deviceDetail),
    );

    expect(found.results).toHaveLength(1);
    const actual = found.results[0];
    expect(actual).toMatchObject({
      name: device.name,
      serial: device.serial,
      asset_tag: device.assetTag,
      status: { name: 'Active' },
      role: { name: device.role },
      location: { name: device.site },
      secrets_group: { name: device.secretsGroup },
      platform: { name: device.platform, network_driver: device.networkDriver },
      primary_ip4: { address: device.primaryIp4 },
      primary_ip6: { address: device.primaryIp6 },
    });
    expect(actual?.tags.map((tag) => tag.name).sort()).toEqual([...device.tags].sort());
    expect(actual?.custom_fields).toEqual(device.customFields);
  });

  it('puts the planned addresses on the planned interfaces of a device', async () => {
    const device = plannedDevice(plan.labFrrDevice);
    const assignment = z.object({
      ip_address: z.object({ address: z.string() }),
      interface: z.object({ name: z.string(), device: z.object({ id: z.string() }) }),
    });
    const interfaces = await client.get(
      '/api/dcim/interfaces/',
      { device: device.name, limit: '100' },
      page(z.object({ id: z.string(), name: z.string() })),
    );
    // A repeated filter ORs its values, but the client sends one value per key: ask per interface.
    const links = await Promise.all(
      interfaces.results.map((i) =>
        client.get(
          '/api/ipam/ip-address-to-interface/',
          { interface: i.id, depth: '1' },
          page(assignment),
        ),
      ),
    );

    const actual = links
      .flatMap((link) => link.results)
      .map((l) => `${l.interface.name} ${l.ip_address.address}`);
    const planned = device.interfaces.flatMap((i) => i.addresses.map((a) => `${i.name} ${a}`));
    expect(interfaces.results.map((i) => i.name).sort()).toEqual(
      device.interfaces.map((i) => i.name).sort(),
    );
    expect(actual.sort()).toEqual(planned.sort());
  });

  it('stores the intended configuration the plan renders, for every device', async () => {
    const entries = await client.get(
      '/api/plugins/golden-config/golden-config/',
      { depth: '1', limit: '1000' },
      page(z.object({ device: named, intended_config: z.string() })),
    );

    const stored = new Map(entries.results.map((e) => [e.device.name, e.intended_config]));
    expect([...stored.keys()].sort()).toEqual(plan.devices.map((d) => d.name).sort());
    for (const device of plan.devices) {
      expect(stored.get(device.name), device.name).toBe(device.intendedConfig);
    }
  });

  it('refuses to seed again over the seeded inventory and changes nothing', async () => {
    const seeding = applyInventory(plan, {
      url: lab.nautobot.url,
      token: lab.nautobot.tokens.readWrite,
    });

    await expect(seeding).rejects.toBeInstanceOf(SeedError);
    await expect(seeding).rejects.toMatchObject({ code: 'not_empty' });
    await expect(seeding).rejects.toThrow(/already holds objects .* \/api\/dcim\/devices\//);
    expect(await countInventory(client)).toEqual(plan.counts);
  });

  it('says which endpoint refused a bad token, and never prints the token', async () => {
    const badToken = 'b'.repeat(40);
    const seeding = applyInventory(plan, { url: lab.nautobot.url, token: badToken });

    await expect(seeding).rejects.toThrow(/403/);
    const error = await seeding.then(
      () => new Error('seeding with a bad token succeeded'),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toMatch(/\/api\//);
    expect(error.message).not.toContain(badToken);
  });
});
