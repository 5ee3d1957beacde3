import { beforeAll, describe, expect, it } from 'vitest';
import { type LabState, readLabState } from '../lab/state.js';

/**
 * What the lab's real Nautobot answers for each of its tokens. The bodies asserted here are
 * Nautobot 3.2.7's own words, recorded from this lab: note that a bad token and a refused
 * permission both answer 403, never 401 (DRF's session authentication comes first).
 */
let lab: LabState;

beforeAll(() => {
  lab = readLabState();
});

async function call(path: string, token: string | undefined, init: RequestInit = {}) {
  const headers: Record<string, string> = {
    Accept: 'application/json; version=3.2',
    'Content-Type': 'application/json',
  };
  if (token !== undefined) headers.Authorization = `Token ${token}`;
  const response = await fetch(`${lab.nautobot.url}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as unknown, response };
}

describe('the lab Nautobot', () => {
  it('answers GET /api/dcim/devices/?limit=1 with 200 and the seeded count for the read-write token', async () => {
    const { status, body, response } = await call(
      '/api/dcim/devices/?limit=1',
      lab.nautobot.tokens.readWrite,
    );

    expect(status).toBe(200);
    expect(response.headers.get('api-version')).toBe('3.2');
    expect(body).toMatchObject({ count: lab.seed.devices });
    expect((body as { results: unknown[] }).results).toHaveLength(1);
  });

  it('refuses a write with the read-only token: 403 and a permission message', async () => {
    const { status, body } = await call('/api/extras/tags/', lab.nautobot.tokens.readOnly, {
      method: 'POST',
      body: JSON.stringify({ name: 'must-not-exist', content_types: ['dcim.device'] }),
    });

    expect(status).toBe(403);
    expect(body).toEqual({ detail: 'You do not have permission to perform this action.' });
    const check = await call(
      '/api/extras/tags/?name=must-not-exist',
      lab.nautobot.tokens.readWrite,
    );
    expect(check.body).toMatchObject({ count: 0 });
  });

  it('lets the read-only token read', async () => {
    const { status } = await call('/api/dcim/devices/?limit=1', lab.nautobot.tokens.readOnly);
    expect(status).toBe(200);
  });

  it('lets the devices-only token read devices but refuses interfaces with 403', async () => {
    const devices = await call('/api/dcim/devices/?limit=1', lab.nautobot.tokens.devicesOnly);
    const interfaces = await call('/api/dcim/interfaces/?limit=1', lab.nautobot.tokens.devicesOnly);

    expect(devices.status).toBe(200);
    expect(devices.body).toMatchObject({ count: lab.seed.devices });
    expect(interfaces.status).toBe(403);
    expect(interfaces.body).toEqual({
      detail: 'You do not have permission to perform this action.',
    });
  });

  it('answers a wrong token with 403 "Invalid token", not 401', async () => {
    const { status, body } = await call('/api/dcim/devices/?limit=1', 'f'.repeat(40));
    expect(status).toBe(403);
    expect(body).toEqual({ detail: 'Invalid token' });
  });

  it('answers a request without a token with 403 and says credentials are missing', async () => {
    const { status, body } = await call('/api/dcim/devices/?limit=1', undefined);
    expect(status).toBe(403);
    expect(body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
});
