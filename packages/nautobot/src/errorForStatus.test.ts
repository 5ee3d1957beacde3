import { describe, expect, it } from 'vitest';
import { createNautobotClient } from './createNautobotClient.ts';
import { isNautobotError, type NautobotError } from './NautobotError.ts';
import { recorded, recordedResponse } from './testing/replayFetch.ts';

const baseUrl = 'http://127.0.0.1:8480';
const token = '0123456789abcdef0123456789abcdef01234567';

/** A client whose every request gets the one recorded answer. */
function answering(name: string, headers: Record<string, string> = {}) {
  const fetch = (async () =>
    recordedResponse(recorded(name), headers)) as unknown as typeof globalThis.fetch;
  return createNautobotClient({ baseUrl, token, fetch, sleep: async () => {} });
}

async function failure(promise: Promise<unknown>): Promise<NautobotError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isNautobotError(error)) throw new Error(`expected a NautobotError, got ${String(error)}`);
  return error;
}

describe('errors from recorded Nautobot answers', () => {
  it.each([
    ['error-invalid-token', 'Invalid token'],
    ['error-token-expired', 'Token expired'],
  ])('%s: 403 is token_rejected, "token wrong or revoked"', async (name, detail) => {
    const error = await failure(answering(name).listAll('devices'));

    expect(error.code).toBe('token_rejected');
    expect(error.details).toMatchObject({ status: 403, detail });
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} rejected the API token (403 "${detail}"): token wrong or ` +
        'revoked. Expected a valid, unexpired token of an active user: create a token in ' +
        'Nautobot (user menu, API Tokens) and update the integration with it',
    );
  });

  it('403 for a permission names the object type the user may not view', async () => {
    const error = await failure(answering('error-permission-interfaces').listAll('interfaces'));

    expect(error.code).toBe('permission_denied');
    expect(error.details.objectType).toBe('dcim.interface');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} refused GET /api/dcim/interfaces/ (403 "You do not have ` +
        `permission to perform this action."): the token's user may not view dcim.interface. ` +
        'Grant that user a permission with action "view" on dcim.interface, or use another token',
    );
  });

  it('403 for a write also suggests the token may be read-only', async () => {
    const client = answering('error-read-only-token-write');

    const error = await failure(client.request('POST', '/api/extras/tags/', { body: {} }));

    expect(error.code).toBe('permission_denied');
    expect(error.message).toContain(
      "the token's user may not add extras.tag, or the token is read-only (write_enabled off)",
    );
  });

  it('400 lists the fields Nautobot complained about', async () => {
    const client = answering('error-unknown-filter');

    const error = await failure(
      client.listAll('interfaces', { filters: { last_updated__gte: '2020-01-01' } }),
    );

    expect(error.code).toBe('bad_request');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} refused GET /api/dcim/interfaces/ as invalid ` +
        '(400 "last_updated__gte: Unknown filter field"): fix the filters or body',
    );
  });

  it('404 of a known endpoint is not_found with Nautobot words', async () => {
    const client = answering('error-device-not-found');
    const path = '/api/dcim/devices/00000000-0000-0000-0000-000000000000/';

    const error = await failure(client.request('GET', path));

    expect(error.code).toBe('not_found');
    expect(error.details.detail).toBe('No Device matches the given query.');
  });

  it('404 without API-Version for an unknown path is not_found, not not_nautobot', async () => {
    const error = await failure(answering('error-unknown-path').request('GET', '/api/nope/'));

    expect(error.code).toBe('not_found');
  });

  it('406 for the API version names the newest version the server offers', async () => {
    const error = await failure(answering('error-version-refused').count('devices'));

    expect(error.code).toBe('unsupported_version');
    expect(error.message).toBe(
      `Nautobot at ${baseUrl} speaks REST API versions up to 3.2 and refused 3.0 (406); ` +
        'expected Nautobot 3.0 or later: upgrade Nautobot, or connect one that runs 3.x',
    );
  });

  it('a 2xx without the API-Version header is not_nautobot', async () => {
    const fetch = (async () =>
      new Response('<html><title>Welcome to nginx!</title></html>', {
        headers: { 'content-type': 'text/html' },
      })) as unknown as typeof globalThis.fetch;
    const client = createNautobotClient({ baseUrl, token, fetch });

    const error = await failure(client.probe());

    expect(error.code).toBe('not_nautobot');
    expect(error.message).toBe(
      `${baseUrl} answered GET /api/dcim/devices/ with 200 (text/html, "<html><title>Welcome ` +
        'to nginx!</title></html>") and no API-Version header: expected the Nautobot REST API ' +
        "there. Check the URL: it is the address of Nautobot's web interface, without /api",
    );
  });

  it('a 401 (from a proxy: Nautobot itself answers 403) is unauthenticated', async () => {
    const fetch = (async () =>
      new Response('Unauthorized', {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="sso"' },
      })) as unknown as typeof globalThis.fetch;
    const client = createNautobotClient({ baseUrl, token, fetch });

    const error = await failure(client.count('devices'));

    expect(error.code).toBe('unauthenticated');
    expect(error.message).toContain('Nautobot answers token problems with 403');
  });
});
