import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNautobotClient,
  isNautobotError,
  type NautobotClientOptions,
  type NautobotError,
  resourceNames,
} from '../../packages/nautobot/src/index.ts';
import { recorded, recordedResponse } from '../../packages/nautobot/src/testing/replayFetch.ts';
import { type LabState, readLabState } from '../lab/state.js';

/**
 * The Nautobot client against the lab's real Nautobot 3.2.7, and against local servers that
 * fail the ways a customer's network does: a closed port, a self-signed certificate, a web
 * server that is not Nautobot, a Nautobot too old, one that never answers. Every error is
 * asserted with its code and its whole message, since people act on those words.
 */
let lab: LabState;
let url: string;
const servers: Server[] = [];

beforeAll(() => {
  lab = readLabState();
  url = lab.nautobot.url;
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

function client(token: string, options: Partial<NautobotClientOptions> = {}) {
  return createNautobotClient({ baseUrl: url, token, ...options });
}

async function failure(promise: Promise<unknown>): Promise<NautobotError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isNautobotError(error)) throw new Error(`expected a NautobotError, got ${String(error)}`);
  return error;
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Basic auth as the lab admin: Nautobot accepts it on /api/users/tokens/ only. */
function adminBasic(): string {
  const pair = `${lab.nautobot.adminUsername}:${lab.nautobot.adminPassword}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

describe('the Nautobot client against the lab', () => {
  it('probes: release, newest API version and the seeded device count', async () => {
    const result = await client(lab.nautobot.tokens.readWrite).probe();

    expect(result).toEqual({
      nautobotVersion: lab.nautobot.version,
      apiVersion: '3.2',
      deviceCount: lab.seed.devices,
    });
  });

  it('reads every resource whole, as many rows as Nautobot counts', async () => {
    const nautobot = client(lab.nautobot.tokens.readOnly);

    for (const name of resourceNames) {
      const [rows, count] = await Promise.all([nautobot.listAll(name), nautobot.count(name)]);
      expect({ name, rows: rows.length }).toEqual({ name, rows: count });
    }
    const devices = await nautobot.listAll('devices');
    expect(devices).toHaveLength(lab.seed.devices);
  });

  it('reads small pages in parallel in the same order as one large page', async () => {
    const whole = await client(lab.nautobot.tokens.readOnly).listAll('ipAddresses');
    const paged = await client(lab.nautobot.tokens.readOnly, {
      pageSize: 7,
      maxParallelPages: 3,
    }).listAll('ipAddresses');

    expect(paged.map((row) => row.id)).toEqual(whole.map((row) => row.id));
    expect(whole.length).toBeGreaterThan(7 * 3);
  });

  it('writes through request(): creates a tag, then deletes it', async () => {
    const nautobot = client(lab.nautobot.tokens.readWrite);
    const name = `plumbline-client-${randomBytes(4).toString('hex')}`;

    const created = (await nautobot.request('POST', '/api/extras/tags/', {
      body: { name, content_types: ['dcim.device'] },
    })) as { id: string };
    const deleted = await nautobot.request('DELETE', `/api/extras/tags/${created.id}/`);

    expect(deleted).toBeUndefined();
    expect(await nautobot.count('tags', { name })).toBe(0);
  });

  it('says cancelled when the caller aborts', async () => {
    const controller = new AbortController();
    const listing = client(lab.nautobot.tokens.readOnly).listAll('interfaces', {
      signal: controller.signal,
    });
    controller.abort();

    const error = await failure(listing);

    expect(error.code).toBe('cancelled');
    expect(error.message).toBe(
      `GET /api/dcim/interfaces/ to Nautobot at ${url} was cancelled by the caller`,
    );
  });
});

describe('the client errors the lab Nautobot causes', () => {
  const tokenRejected = (detail: string) =>
    `Nautobot at ${url} rejected the API token (403 "${detail}"): token wrong or revoked. ` +
    'Expected a valid, unexpired token of an active user: create a token in Nautobot ' +
    '(user menu, API Tokens) and update the integration with it';

  it('a random 40-hex token: token_rejected, "token wrong or revoked"', async () => {
    const error = await failure(client(randomBytes(20).toString('hex')).probe());

    expect(error.code).toBe('token_rejected');
    expect(error.message).toBe(tokenRejected('Invalid token'));
  });

  it('an expired token, then the same token revoked: token_rejected both times', async () => {
    const key = randomBytes(20).toString('hex');
    const tokens = createNautobotClient({ baseUrl: url, token: 'unused', fetch: basicFetch() });
    // Nautobot accepts a token whose expiry is already past, which is the quickest way.
    const created = (await tokens.request('POST', '/api/users/tokens/', {
      body: { key, expires: '2020-01-01T00:00:00Z', description: 'plumbline client test' },
    })) as { id: string };

    const expired = await failure(client(key).probe());
    await tokens.request('DELETE', `/api/users/tokens/${created.id}/`);
    const revoked = await failure(client(key).probe());

    expect([expired.code, revoked.code]).toEqual(['token_rejected', 'token_rejected']);
    expect(expired.message).toBe(tokenRejected('Token expired'));
    expect(revoked.message).toBe(tokenRejected('Invalid token'));
  });

  it('the devices-only token: devices read, interfaces permission_denied naming dcim.interface', async () => {
    const nautobot = client(lab.nautobot.tokens.devicesOnly);

    const devices = await nautobot.listAll('devices');
    const error = await failure(nautobot.listAll('interfaces'));

    expect(devices).toHaveLength(lab.seed.devices);
    expect(error.code).toBe('permission_denied');
    expect(error.details.objectType).toBe('dcim.interface');
    expect(error.message).toBe(
      `Nautobot at ${url} refused GET /api/dcim/interfaces/ (403 "You do not have permission ` +
        `to perform this action."): the token's user may not view dcim.interface. Grant that ` +
        'user a permission with action "view" on dcim.interface, or use another token',
    );
  });

  it('the read-only token writing: permission_denied that mentions write_enabled', async () => {
    const error = await failure(
      client(lab.nautobot.tokens.readOnly).request('POST', '/api/extras/tags/', {
        body: { name: 'plumbline-must-not-exist', content_types: ['dcim.device'] },
      }),
    );

    expect(error.code).toBe('permission_denied');
    expect(error.message).toBe(
      `Nautobot at ${url} refused POST /api/extras/tags/ (403 "You do not have permission to ` +
        'perform this action."): the token\'s user may not add extras.tag, or the token is ' +
        'read-only (write_enabled off). Grant that user a permission with action "add" on ' +
        'extras.tag, or use another token',
    );
  });

  it('never answers 401 itself: even a wrong Basic login on /api/users/tokens/ is 403', async () => {
    // Nautobot 3.2.7 lists DRF's SessionAuthentication first, which sends no challenge, so
    // DRF answers every authentication failure with 403. The client keeps `unauthenticated`
    // for a 401, which can only come from a proxy in front (tested below).
    const response = await fetch(`${url}/api/users/tokens/`, {
      headers: { Authorization: 'Basic YWRtaW46d3Jvbmc=', Accept: 'application/json' },
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'Invalid username/password.' });
  });

  it('an unknown filter: bad_request with Nautobot own words', async () => {
    const error = await failure(
      client(lab.nautobot.tokens.readOnly).listAll('interfaces', {
        filters: { last_updated__gte: '2020-01-01T00:00:00Z' },
      }),
    );

    expect(error.code).toBe('bad_request');
    expect(error.message).toBe(
      `Nautobot at ${url} refused GET /api/dcim/interfaces/ as invalid ` +
        '(400 "last_updated__gte: Unknown filter field"): fix the filters or body',
    );
  });

  /** A fetch that logs in as the lab admin with Basic auth instead of a token. */
  function basicFetch(): typeof globalThis.fetch {
    return (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('Authorization', adminBasic());
      return fetch(input, { ...init, headers });
    };
  }
});

describe('the client errors other servers cause', () => {
  const token = randomBytes(20).toString('hex');

  it('a closed loopback port: unreachable', async () => {
    const probe = createHttpServer();
    const address = await listen(probe);
    await closeServer(probe);

    const error = await failure(
      createNautobotClient({ baseUrl: `http://${address}`, token }).probe(),
    );

    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `GET /api/dcim/devices/: could not reach http://${address} (connect ECONNREFUSED ` +
        `${address}); expected Nautobot listening there: check the URL, that Nautobot runs, ` +
        'and any firewall or proxy in between',
    );
  });

  it('a self-signed certificate: tls_failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-subj',
          '/CN=127.0.0.1',
          '-days',
          '1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_request, response) => response.end('{}'),
      );
      const address = await listen(server);

      const error = await failure(
        createNautobotClient({ baseUrl: `https://${address}`, token }).probe(),
      );

      expect(error.code).toBe('tls_failed');
      expect(error.message).toBe(
        `GET /api/dcim/devices/ to https://${address}: TLS failed (self-signed certificate); ` +
          'expected a certificate this machine trusts for that name: install the CA that ' +
          'signed it (NODE_EXTRA_CA_CERTS) or fix the URL',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a web server that is not Nautobot (HTML): not_nautobot', async () => {
    const address = await listen(
      createHttpServer((_request, response) => {
        response.setHeader('content-type', 'text/html');
        response.end('<!doctype html><title>Router admin</title>');
      }),
    );

    const error = await failure(
      createNautobotClient({ baseUrl: `http://${address}`, token }).probe(),
    );

    expect(error.code).toBe('not_nautobot');
    expect(error.message).toBe(
      `http://${address} answered GET /api/dcim/devices/ with 200 (text/html, "<!doctype ` +
        'html><title>Router admin</title>") and no API-Version header: expected the Nautobot ' +
        "REST API there. Check the URL: it is the address of Nautobot's web interface, " +
        'without /api',
    );
  });

  it('a JSON API that is not Nautobot: not_nautobot', async () => {
    const address = await listen(
      createHttpServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end('{"status":"ok","items":[]}');
      }),
    );

    const error = await failure(
      createNautobotClient({ baseUrl: `http://${address}`, token }).probe(),
    );

    expect(error.code).toBe('not_nautobot');
  });

  it('a Nautobot that answers API-Version 1.3: unsupported_version', async () => {
    // The answer is the lab's recorded GET /api/dcim/devices/?limit=1, byte for byte, with only
    // the API-Version header changed to what a Nautobot 1.3 sends.
    const devices = recorded('probe-devices');
    const address = await listen(
      createHttpServer(async (_request, response) => {
        const answer = recordedResponse(devices, { 'api-version': '1.3' });
        response.writeHead(answer.status, Object.fromEntries(answer.headers));
        response.end(await answer.text());
      }),
    );

    const error = await failure(
      createNautobotClient({ baseUrl: `http://${address}`, token }).probe(),
    );

    expect(error.code).toBe('unsupported_version');
    expect(error.message).toBe(
      `Nautobot at http://${address} runs REST API version 1.3; expected Nautobot 3.0 or ` +
        'later (REST API 3.x): upgrade Nautobot, or connect one that runs 3.x',
    );
  });

  it('a proxy that asks for its own login (401): unauthenticated', async () => {
    const address = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="sso"' });
        response.end('Unauthorized');
      }),
    );

    const error = await failure(
      createNautobotClient({ baseUrl: `http://${address}`, token }).probe(),
    );

    expect(error.code).toBe('unauthenticated');
    expect(error.message).toBe(
      `http://${address} answered GET /api/dcim/devices/ with 401 "Unauthorized": not ` +
        'authenticated. Nautobot answers token problems with 403, so a proxy or login gateway ' +
        'in front of it asked for its own credentials: expected Nautobot itself at that URL; ' +
        'check the URL and the proxy',
    );
  });

  it('a server that accepts and never answers: timeout', async () => {
    const address = await listen(createHttpServer(() => {}));

    const error = await failure(
      createNautobotClient({ baseUrl: `http://${address}`, token, requestTimeoutMs: 300 }).count(
        'devices',
      ),
    );

    expect(error.code).toBe('timeout');
    expect(error.message).toBe(
      `GET /api/dcim/devices/ to Nautobot at http://${address} got no complete answer within ` +
        '300 ms: Nautobot or the way to it is overloaded or stuck; try again later, or allow ' +
        'more time (requestTimeoutMs)',
    );
  });
});
