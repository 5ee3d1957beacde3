import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, type Namespace } from '../lab/netns.js';
import {
  type Json,
  nautobot,
  nautobotList,
  type SotCloud,
  startSotCloud,
  syncAndWait,
  waitFor,
} from './sot-harness.ts';

/**
 * Nautobot's Celery worker delivers real webhooks to the cloud's receiver. Nautobot refuses
 * loopback targets, so the cloud listens on the host end of a veth pair into a network namespace
 * the test makes (a private 10.213.x.x address), and its public URL names that address. The
 * webhook itself is registered through the cloud's own register-webhook route.
 */
let namespace: Namespace;
let sot: SotCloud;
let integrationId: string;
let webhookId: string | undefined;
let device: Json;
let tempDeviceId: string | undefined;

beforeAll(async () => {
  namespace = await createNamespace();
  sot = await startSotCloud(namespace.hostAddress);
  const created = await sot.api('POST', '/integrations', {
    name: 'lab',
    baseUrl: sot.lab.nautobot.url,
    token: sot.lab.nautobot.tokens.readWrite,
  });
  integrationId = created.json.integration.id;
  const run = await syncAndWait(sot, integrationId, 'full');
  if (run.state !== 'succeeded') throw new Error(`initial sync: ${JSON.stringify(run)}`);
  const devices = await nautobotList(sot.lab, '/api/dcim/devices/');
  device = devices.sort((a, b) => String(a.name).localeCompare(String(b.name)))[1];
});

afterAll(async () => {
  if (device !== undefined) {
    await nautobot(sot.lab, 'PATCH', `/api/dcim/devices/${device.id}/`, { serial: device.serial });
  }
  if (tempDeviceId !== undefined) {
    await nautobot(sot.lab, 'DELETE', `/api/dcim/devices/${tempDeviceId}/`).catch(() => {});
  }
  if (webhookId !== undefined) {
    await nautobot(sot.lab, 'DELETE', `/api/extras/webhooks/${webhookId}/`);
  }
  await sot?.stop();
  await namespace?.remove();
});

const mirroredDevice = async (id: string) => {
  const { status, json } = await sot.api('GET', `/integrations/${integrationId}/devices/${id}`);
  return status === 200 ? json.device : null;
};

describe('webhooks from the lab Nautobot', () => {
  it('registers the webhook in Nautobot through the API', async () => {
    const { status, json } = await sot.api(
      'POST',
      `/integrations/${integrationId}/register-webhook`,
    );
    expect(status).toBe(200);
    expect(json.webhook).toMatchObject({ registered: true, created: true });
    webhookId = json.webhook.webhookId;
    const stored = await nautobot(sot.lab, 'GET', `/api/extras/webhooks/${webhookId}/`);
    expect(stored).toMatchObject({
      payload_url: json.webhook.url,
      type_create: true,
      type_update: true,
      type_delete: true,
      enabled: true,
    });
    expect(stored.payload_url).toContain(namespace.hostAddress);
    expect(stored.content_types).toEqual(expect.arrayContaining(['dcim.device', 'ipam.prefix']));
  });

  it('carries a change made in Nautobot into the mirror within seconds', async () => {
    const serial = `WEBHOOK-${Date.now()}`;
    await nautobot(sot.lab, 'PATCH', `/api/dcim/devices/${device.id}/`, { serial });

    const changed = await waitFor('the new serial in the mirror', async () => {
      const row = await mirroredDevice(device.id);
      return row?.serial === serial ? row : undefined;
    });
    expect(changed).toMatchObject({ hostname: device.name, serial, vendor: expect.any(String) });

    await nautobot(sot.lab, 'PATCH', `/api/dcim/devices/${device.id}/`, { serial: device.serial });
    await waitFor('the restored serial in the mirror', async () => {
      const row = await mirroredDevice(device.id);
      return row?.serial === device.serial ? row : undefined;
    });
  });

  it('adds a device created in Nautobot and removes it when it is deleted', async () => {
    const temp = await nautobot(sot.lab, 'POST', '/api/dcim/devices/', {
      name: `sot-webhook-temp-${Date.now()}`,
      device_type: device.device_type.id,
      role: device.role.id,
      status: device.status.id,
      location: device.location.id,
    });
    tempDeviceId = temp.id;

    const added = await waitFor('the new device in the mirror', async () => {
      return (await mirroredDevice(temp.id)) ?? undefined;
    });
    expect(added).toMatchObject({ hostname: temp.name, siteId: device.location.id });

    await nautobot(sot.lab, 'DELETE', `/api/dcim/devices/${temp.id}/`);
    tempDeviceId = undefined;
    await waitFor('the device gone from the mirror', async () =>
      (await mirroredDevice(temp.id)) === null ? true : undefined,
    );
  });

  it('refuses a forged delivery with 401 and changes nothing', async () => {
    const before = await mirroredDevice(device.id);
    const { json } = await sot.api('GET', `/integrations/${integrationId}`);
    const body = JSON.stringify({
      event: 'updated',
      timestamp: '2099-01-01 00:00:00.000000+00:00',
      model: 'device',
      username: 'mallory',
      request_id: null,
      data: { ...device, serial: 'FORGED', last_updated: '2099-01-01T00:00:00Z' },
      snapshots: {},
    });
    const forged = createHmac('sha512', 'not the secret').update(body).digest('hex');

    const response = await fetch(json.integration.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hook-signature': forged },
      body,
    });

    expect(response.status).toBe(401);
    expect(await mirroredDevice(device.id)).toEqual(before);
  });
});
