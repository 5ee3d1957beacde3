import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Json,
  nautobot,
  nautobotList,
  type SotCloud,
  startSotCloud,
  syncAndWait,
} from './sot-harness.ts';

/**
 * A real cloud syncs the lab's real Nautobot directly; the test then reads Nautobot itself
 * (plain fetch, depth 0) and compares every seeded device, interface, IP address and prefix
 * field by field with what the cloud's API shows of its mirror.
 */
let sot: SotCloud;
let integrationId: string;

beforeAll(async () => {
  sot = await startSotCloud();
  const created = await sot.api('POST', '/integrations', {
    name: 'lab',
    baseUrl: sot.lab.nautobot.url,
    token: sot.lab.nautobot.tokens.readWrite,
  });
  integrationId = created.json.integration.id;
});

afterAll(async () => {
  await sot?.stop();
});

const byId = (list: Json[]) => new Map(list.map((o) => [o.id, o]));

async function mirror(table: string): Promise<Json[]> {
  const { json } = await sot.api('GET', `/integrations/${integrationId}/${table}?limit=1000`);
  return json[table];
}

describe('a sync of the lab Nautobot', () => {
  it('probes green with the version and device count', async () => {
    const { json } = await sot.api('POST', `/integrations/${integrationId}/probe`);
    expect(json.integration.status).toMatchObject({
      state: 'green',
      nautobotVersion: sot.lab.nautobot.version,
      apiVersion: '3.2',
      deviceCount: sot.lab.seed.devices,
    });
  });

  it('mirrors exactly what Nautobot holds, field by field', async () => {
    const run = await syncAndWait(sot, integrationId, 'full');
    expect(run).toMatchObject({ state: 'succeeded', mode: 'full', error: null });
    expect(run.progress.fetched).toBe(run.progress.total);

    const lab = sot.lab;
    const paths = {
      locations: '/api/dcim/locations/',
      devices: '/api/dcim/devices/',
      interfaces: '/api/dcim/interfaces/',
      ips: '/api/ipam/ip-addresses/',
      links: '/api/ipam/ip-address-to-interface/',
      prefixes: '/api/ipam/prefixes/',
      tags: '/api/extras/tags/',
      fields: '/api/extras/custom-fields/',
    };
    const read = await Promise.all(
      Object.entries(paths).map(async ([key, path]) => [key, await nautobotList(lab, path)]),
    );
    const { locations, devices, interfaces, ips, links, prefixes, tags, fields } =
      Object.fromEntries(read) as Record<keyof typeof paths, Json[]>;
    const names = byId(
      (
        await Promise.all(
          [
            '/api/dcim/manufacturers/',
            '/api/dcim/device-types/',
            '/api/dcim/platforms/',
            '/api/extras/roles/',
            '/api/extras/statuses/',
            '/api/dcim/location-types/',
            '/api/ipam/namespaces/',
          ].map((path) => nautobotList(lab, path)),
        )
      ).flat(),
    );
    const tagNames = byId(tags);
    const name = (ref: { id: string } | null) => (ref ? names.get(ref.id)?.name : null);
    const tagsOf = (o: Json) => o.tags.map((t: Json) => tagNames.get(t.id).name).sort();

    expect(run.counts).toMatchObject({
      sites: locations.length,
      devices: devices.length,
      interfaces: interfaces.length,
      ipAddresses: ips.length,
      interfaceIps: links.length,
      prefixes: prefixes.length,
      tags: tags.length,
      customFields: fields.length,
    });
    expect(devices.length).toBe(lab.seed.devices);

    const mirroredDevices = byId(await mirror('devices'));
    const ipById = byId(ips);
    for (const d of devices) {
      const type = names.get(d.device_type.id);
      expect(mirroredDevices.get(d.id)).toEqual({
        id: d.id,
        lastUpdatedMs: Date.parse(d.last_updated),
        hostname: d.name,
        vendor: names.get(type.manufacturer.id).name,
        model: type.model,
        role: name(d.role),
        siteId: d.location.id,
        serial: d.serial,
        assetTag: d.asset_tag,
        platform: name(d.platform),
        networkDriver: d.platform ? names.get(d.platform.id).network_driver || null : null,
        status: name(d.status),
        primaryIp4Id: d.primary_ip4?.id ?? null,
        primaryIp6Id: d.primary_ip6?.id ?? null,
        tags: tagsOf(d),
        customFields: d.custom_fields,
      });

      const { json: detail } = await sot.api(
        'GET',
        `/integrations/${integrationId}/devices/${d.id}`,
      );
      expect(detail.device).toMatchObject({
        site: locations.find((l) => l.id === d.location.id).name,
        primaryIp4: d.primary_ip4 ? ipById.get(d.primary_ip4.id).address : null,
        primaryIp6: d.primary_ip6 ? ipById.get(d.primary_ip6.id).address : null,
      });
      const own = interfaces.filter((i) => i.device.id === d.id);
      expect(
        detail.interfaces.map((i: Json) => [i.name, i.ipAddresses.map((a: Json) => a.address)]),
      ).toEqual(
        own
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((i) => [
            i.name,
            links
              .filter((l) => l.interface?.id === i.id)
              .map((l) => ipById.get(l.ip_address.id).address)
              .sort(),
          ]),
      );
    }

    const mirroredInterfaces = byId(await mirror('interfaces'));
    for (const i of interfaces) {
      expect(mirroredInterfaces.get(i.id)).toEqual({
        id: i.id,
        lastUpdatedMs: Date.parse(i.last_updated),
        deviceId: i.device.id,
        name: i.name,
        type: i.type.value,
        enabled: i.enabled,
        status: name(i.status),
        mtu: i.mtu,
        macAddress: i.mac_address,
        description: i.description,
        mgmtOnly: i.mgmt_only,
        mode: i.mode?.value ?? null,
        lagId: i.lag?.id ?? null,
        parentInterfaceId: i.parent_interface?.id ?? null,
        tags: tagsOf(i),
        customFields: i.custom_fields,
      });
    }

    const mirroredIps = byId(await mirror('ip-addresses'));
    for (const ip of ips) {
      expect(mirroredIps.get(ip.id)).toEqual({
        id: ip.id,
        lastUpdatedMs: Date.parse(ip.last_updated),
        address: ip.address,
        host: ip.host,
        maskLength: ip.mask_length,
        ipVersion: ip.ip_version,
        type: ip.type,
        status: name(ip.status),
        role: name(ip.role),
        parentPrefixId: ip.parent.id,
        dnsName: ip.dns_name,
        description: ip.description,
        tags: tagsOf(ip),
        customFields: ip.custom_fields,
      });
    }

    const mirroredPrefixes = byId(await mirror('prefixes'));
    for (const p of prefixes) {
      expect(mirroredPrefixes.get(p.id)).toEqual({
        id: p.id,
        lastUpdatedMs: Date.parse(p.last_updated),
        prefix: p.prefix,
        ipVersion: p.ip_version,
        type: p.type.value,
        status: name(p.status),
        role: name(p.role),
        parentId: p.parent?.id ?? null,
        namespace: name(p.namespace),
        description: p.description,
        tags: tagsOf(p),
        customFields: p.custom_fields,
      });
    }
    // The tree: every parent a mirrored prefix names is itself in the mirror.
    for (const p of mirroredPrefixes.values()) {
      if (p.parentId !== null) expect(mirroredPrefixes.has(p.parentId)).toBe(true);
    }
  });

  it('an incremental run after it changes nothing and reads the change log', async () => {
    const before = await Promise.all(['devices', 'interfaces', 'prefixes'].map(mirror));
    const run = await syncAndWait(sot, integrationId, 'incremental');
    expect(run).toMatchObject({ state: 'succeeded', mode: 'incremental' });
    expect(await Promise.all(['devices', 'interfaces', 'prefixes'].map(mirror))).toEqual(before);
  });
});

describe('an incremental run after changes in Nautobot', () => {
  it('picks up a changed and a new device, and drops a deleted one', async () => {
    const lab = sot.lab;
    const [device] = await nautobotList(lab, '/api/dcim/devices/');
    const serial = `INCREMENTAL-${Date.now()}`;
    const temp = await nautobot(lab, 'POST', '/api/dcim/devices/', {
      name: `sot-incremental-${Date.now()}`,
      device_type: device.device_type.id,
      role: device.role.id,
      status: device.status.id,
      location: device.location.id,
    });
    try {
      await nautobot(lab, 'PATCH', `/api/dcim/devices/${device.id}/`, { serial });
      const first = await syncAndWait(sot, integrationId, 'incremental');
      expect(first).toMatchObject({ state: 'succeeded', mode: 'incremental' });
      const mirrored = byId(await mirror('devices'));
      expect(mirrored.get(device.id)).toMatchObject({ serial });
      expect(mirrored.get(temp.id)).toMatchObject({ hostname: temp.name });

      await nautobot(lab, 'DELETE', `/api/dcim/devices/${temp.id}/`);
      const second = await syncAndWait(sot, integrationId, 'incremental');
      expect(second).toMatchObject({ state: 'succeeded', mode: 'incremental' });
      expect(byId(await mirror('devices')).has(temp.id)).toBe(false);
    } finally {
      await nautobot(lab, 'PATCH', `/api/dcim/devices/${device.id}/`, { serial: device.serial });
      await nautobot(lab, 'DELETE', `/api/dcim/devices/${temp.id}/`).catch(() => undefined);
    }
  });
});

describe("the lab's three tokens", () => {
  async function outcome(token: string) {
    const created = await sot.api('POST', '/integrations', {
      name: `token ${token.slice(0, 4)}`,
      baseUrl: sot.lab.nautobot.url,
      token,
    });
    const id = created.json.integration.id;
    const probe = (await sot.api('POST', `/integrations/${id}/probe`)).json.integration.status;
    const run = await syncAndWait(sot, id, 'full');
    await sot.api('DELETE', `/integrations/${id}`);
    return { probe, run };
  }

  it('read-write and read-only: green probe and a complete sync', async () => {
    for (const token of [sot.lab.nautobot.tokens.readWrite, sot.lab.nautobot.tokens.readOnly]) {
      const { probe, run } = await outcome(token);
      expect(probe).toMatchObject({
        state: 'green',
        code: null,
        deviceCount: sot.lab.seed.devices,
      });
      expect(run).toMatchObject({ state: 'succeeded', error: null });
      expect(run.counts.devices).toBe(sot.lab.seed.devices);
    }
  });

  it('devices-only: green probe, then the sync names what it may not read', async () => {
    const { probe, run } = await outcome(sot.lab.nautobot.tokens.devicesOnly);
    expect(probe).toMatchObject({ state: 'green', deviceCount: sot.lab.seed.devices });
    expect(run).toMatchObject({ state: 'failed', error: { code: 'permission_denied' } });
    expect(run.error.message).toBe(
      `Nautobot at ${sot.lab.nautobot.url} refused GET /api/dcim/manufacturers/ (403 "You do ` +
        `not have permission to perform this action."): the token's user may not view ` +
        'dcim.manufacturer. Grant that user a permission with action "view" on ' +
        'dcim.manufacturer, or use another token',
    );
    const { json } = await sot.api('GET', `/integrations/${integrationId}/devices?limit=1`);
    expect(json.devices).toHaveLength(1);
  });

  it('an unknown token: red probe, "token wrong or revoked"', async () => {
    const { probe, run } = await outcome('0123456789abcdef0123456789abcdef01234567');
    expect(probe).toMatchObject({ state: 'red', code: 'token_rejected' });
    expect(probe.message).toBe(
      `Nautobot at ${sot.lab.nautobot.url} rejected the API token (403 "Invalid token"): token ` +
        'wrong or revoked. Expected a valid, unexpired token of an active user: create a token ' +
        'in Nautobot (user menu, API Tokens) and update the integration with it',
    );
    expect(run).toMatchObject({ state: 'failed', error: { code: 'token_rejected' } });
  });
});
