/**
 * Records what the lab's real Nautobot answers to the requests the sync, the probe and the
 * webhook registration make, and real webhook deliveries, into `recorded/*.json`, for the unit
 * tests to replay. Run as root (the webhook receiver needs a network namespace), lab running:
 *
 *   pnpm exec tsx cloud/src/sot/testing/recordLab.ts
 *
 * It undoes what it changes in Nautobot (a device's serial, a temporary device, the webhook).
 * Tokens are never written: requests are recorded without their headers.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createNautobotClient, type NautobotClient } from '@plumbline/nautobot';
import { createNamespace } from '../../../../test/lab/netns.ts';
import { readLabState } from '../../../../test/lab/state.ts';
import { fetchInventory } from '../fetchInventory.ts';
import { nextWatermark } from '../SyncRunner.ts';
import {
  type Delivery,
  type Exchange,
  inFlight,
  type Recording,
  recordedDir,
  recordingFetch,
} from './Recording.ts';

const lab = readLabState();
const version = lab.nautobot.version;

function client(token: string, into: Exchange[]): NautobotClient {
  return createNautobotClient({
    baseUrl: lab.nautobot.url,
    token,
    fetch: recordingFetch(globalThis.fetch, into),
    retries: 0,
  });
}

async function drained(): Promise<void> {
  while (inFlight.count > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function save(name: string, recording: Omit<Recording, 'recordedAt' | 'nautobotVersion'>) {
  await drained();
  const full: Recording = {
    recordedAt: new Date().toISOString(),
    nautobotVersion: version,
    ...recording,
  };
  writeFileSync(new URL(name, recordedDir), `${JSON.stringify(full, null, 1)}\n`);
  process.stderr.write(`wrote ${name}: ${recording.exchanges.length} exchanges\n`);
}

async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((error: Error) => error);
}

// 1. The read-write token: probe, a full read, an incremental read since a fixed time.
{
  const exchanges: Exchange[] = [];
  const nb = client(lab.nautobot.tokens.readWrite, exchanges);
  await nb.probe();
  const inventory = await fetchInventory(nb, { changedSince: null });
  // The time the next incremental run after this full one filters from.
  const changedSince = nextWatermark(inventory, null) ?? lab.startedAt;
  await fetchInventory(nb, { changedSince });
  await save('readWrite.json', {
    note: 'read-write admin token: probe, full read, then the incremental read that follows it',
    exchanges,
    changedSince,
  });
}

// 2. The read-only token: probe and a full read work; registering a webhook is refused.
{
  const exchanges: Exchange[] = [];
  const nb = client(lab.nautobot.tokens.readOnly, exchanges);
  await nb.probe();
  // What registerWebhook sends: look for ours by name, then create it (refused: read-only).
  await nb.request('GET', '/api/extras/webhooks/', { query: { name: 'plumbline recorder' } });
  await settle(
    nb.request('POST', '/api/extras/webhooks/', {
      body: {
        name: 'must not exist',
        content_types: ['dcim.device'],
        type_create: true,
        payload_url: 'http://nautobot-refuses.example/',
      },
    }),
  );
  await save('readOnly.json', {
    note: 'read-only token: probe, refused webhook creation',
    exchanges,
  });
}

// 3. The devices-only token: probe works, the sync is refused at the first interface read.
{
  const exchanges: Exchange[] = [];
  const nb = client(lab.nautobot.tokens.devicesOnly, exchanges);
  await settle(nb.probe());
  await settle(fetchInventory(nb, { changedSince: null }));
  await save('devicesOnly.json', {
    note: 'token that may view dcim.device only: probe, sync',
    exchanges,
  });
}

// 4. A token Nautobot does not know.
{
  const exchanges: Exchange[] = [];
  await settle(client('0123456789abcdef0123456789abcdef01234567', exchanges).probe());
  await save('wrongToken.json', { note: 'a 40-character token Nautobot does not know', exchanges });
}

// 5. Real deliveries: a receiver in a network namespace, a webhook on the mirrored models.
{
  const admin = client(lab.nautobot.tokens.readWrite, []);
  const secret = randomBytes(16).toString('hex');
  const namespace = await createNamespace();
  const recorder = fileURLToPath(
    new URL('../../../../test/lab/receivers/httpRecorder.mjs', import.meta.url),
  );
  const receiver = namespace.spawnIn('node', [recorder, namespace.namespaceAddress, '8080']);
  const received: { headers: Record<string, string>; body: string }[] = [];
  const lines = createInterface({ input: receiver.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      const record = JSON.parse(line) as {
        listening?: string;
        headers: Record<string, string>;
        body: string;
      };
      if (record.listening !== undefined) resolve();
      else received.push(record);
    });
  });
  const until = async (count: number) => {
    for (let i = 0; i < 300 && received.length < count; i++)
      await new Promise((r) => setTimeout(r, 100));
    if (received.length < count)
      throw new Error(`expected ${count} deliveries, got ${received.length}`);
  };
  const webhook = (await admin.request('POST', '/api/extras/webhooks/', {
    body: {
      name: `plumbline recorder ${secret.slice(0, 6)}`,
      content_types: ['dcim.device', 'dcim.interface', 'ipam.ipaddress', 'dcim.manufacturer'],
      type_create: true,
      type_update: true,
      type_delete: true,
      payload_url: `http://${namespace.namespaceAddress}:8080/hook`,
      http_method: 'POST',
      http_content_type: 'application/json',
      secret,
      ssl_verification: false,
      enabled: true,
    },
  })) as { id: string };
  const labels: string[] = [];
  try {
    const devices = (await admin.listAll('devices')).sort((a, b) =>
      (a.name ?? '').localeCompare(b.name ?? ''),
    );
    const device = devices[0];
    if (!device) throw new Error('the lab has no devices');
    await admin.request('PATCH', `/api/dcim/devices/${device.id}/`, {
      body: { serial: 'RECORDED-1' },
    });
    labels.push('device updated (serial RECORDED-1)');
    await until(labels.length);
    await admin.request('PATCH', `/api/dcim/devices/${device.id}/`, {
      body: { serial: device.serial },
    });
    labels.push('device updated (serial restored)');
    await until(labels.length);
    const temp = (await admin.request('POST', '/api/dcim/devices/', {
      body: {
        name: `recorder-temp-${secret.slice(0, 6)}`,
        device_type: device.device_type.id,
        role: device.role.id,
        status: device.status.id,
        location: device.location.id,
      },
    })) as { id: string };
    labels.push('device created (temporary)');
    await until(labels.length);
    await admin.request('DELETE', `/api/dcim/devices/${temp.id}/`);
    labels.push('device deleted (temporary)');
    await until(labels.length);
    const iface = (await admin.listAll('interfaces', { filters: { device_id: device.id } }))[0];
    if (iface) {
      await admin.request('PATCH', `/api/dcim/interfaces/${iface.id}/`, {
        body: { description: 'recorded' },
      });
      labels.push('interface updated (description recorded)');
      await until(labels.length);
      await admin.request('PATCH', `/api/dcim/interfaces/${iface.id}/`, {
        body: { description: iface.description },
      });
      labels.push('interface updated (description restored)');
      await until(labels.length);
    }
    const manufacturer = (await admin.request('POST', '/api/dcim/manufacturers/', {
      body: { name: `Recorder Vendor ${secret.slice(0, 6)}` },
    })) as { id: string };
    labels.push('manufacturer created');
    await until(labels.length);
    await admin.request('DELETE', `/api/dcim/manufacturers/${manufacturer.id}/`);
    labels.push('manufacturer deleted');
    await until(labels.length);
  } finally {
    await admin.request('DELETE', `/api/extras/webhooks/${webhook.id}/`);
    receiver.kill();
    await namespace.remove();
  }
  const deliveries: Delivery[] = received.map((r, i) => ({
    label: labels[i] ?? `delivery ${i}`,
    signature: r.headers['x-hook-signature'] ?? '',
    body: r.body,
  }));
  await save('webhooks.json', {
    note: 'deliveries of a webhook registered with webhookSecret (thrown away after recording)',
    exchanges: [],
    webhookSecret: secret,
    deliveries,
  });
}
