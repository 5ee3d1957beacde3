import { beforeEach, describe, expect, it } from 'vitest';
import {
  addTenantFixture,
  createTestCloud,
  type TenantFixture,
  type TestCloud,
} from '../testing/createTestCloud.ts';

describe('bad request bodies', () => {
  let cloud: TestCloud;
  let t: TenantFixture;
  const maxBodyBytes = 4096;

  beforeEach(async () => {
    cloud = createTestCloud({ maxBodyBytes });
    t = await addTenantFixture(cloud, 'acme', { withPasswords: false });
  });

  async function state() {
    const scope = cloud.store.tenant(t.tenantId);
    return JSON.stringify([await scope.listMembers(), await scope.listAudit({ limit: 500 })]);
  }

  async function post(options: { rawBody?: string; body?: unknown; contentType?: string }) {
    return cloud.request('POST', '/api/v1/tenants/acme/members', {
      token: t.users.admin.token,
      ...options,
    });
  }

  it('answers 400 invalid_json to malformed JSON and changes nothing', async () => {
    const before = await state();
    const response = await post({ rawBody: '{"email": "x@y.z", "role": ' });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'invalid_json' } });
    expect((response.json as { error: { message: string } }).error.message).toMatch(
      /^the body is not valid JSON: /,
    );
    expect(await state()).toBe(before);
  });

  it('answers 400 naming the field and the expected type for wrong types', async () => {
    const before = await state();
    const response = await post({ body: { email: 42, role: 'superuser' } });
    expect(response.status).toBe(400);
    const { message } = (response.json as { error: { message: string } }).error;
    expect(message).toContain('body.email: ');
    expect(message).toContain('body.role: ');
    expect(message).toContain('"admin"|"approver"|"viewer"');
    expect(await state()).toBe(before);
  });

  it('answers 400 to fields it does not know, so typos are not silently dropped', async () => {
    const response = await post({ body: { email: 'a@b.test', role: 'viewer', rol: 'admin' } });
    expect(response.status).toBe(400);
    expect((response.json as { error: { message: string } }).error.message).toContain('rol');
  });

  it('answers 413 to a body over the limit, declared or streamed, and changes nothing', async () => {
    const before = await state();
    const big = JSON.stringify({
      email: 'a@b.test',
      role: 'viewer',
      pad: 'x'.repeat(maxBodyBytes),
    });
    const declared = await post({ rawBody: big });
    expect(declared.status).toBe(413);
    expect(declared.json).toEqual({
      error: {
        code: 'payload_too_large',
        message: `the body is larger than the limit of ${maxBodyBytes} bytes`,
      },
    });

    const chunks = new TextEncoder().encode(big);
    const streamed = await cloud.app.request('/api/v1/tenants/acme/members', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.users.admin.token}`,
        'content-type': 'application/json',
      },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < chunks.length; i += 1000)
            controller.enqueue(chunks.slice(i, i + 1000));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await state()).toBe(before);
  });

  it('answers 415 to a body that is not declared as JSON', async () => {
    const response = await post({ rawBody: 'email=a@b.test', contentType: 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.json).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: 'expected a JSON body with "Content-Type: application/json", got "text/plain"',
      },
    });
  });

  it('answers 409 to adding a member twice, and 409 to removing the last admin', async () => {
    const again = await post({ body: { email: t.users.viewer.email, role: 'admin' } });
    expect(again.status).toBe(409);
    const last = await cloud.request('DELETE', `/api/v1/tenants/acme/members/${t.users.admin.id}`, {
      token: t.users.admin.token,
    });
    expect(last.status).toBe(409);
    expect(last.json).toEqual({
      error: {
        code: 'conflict',
        message: 'cannot remove the last admin of this tenant; make another admin first',
      },
    });
  });

  it('answers JSON 404 to a path with no route', async () => {
    const response = await cloud.request('GET', '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: { code: 'not_found', message: 'no route for GET /api/v1/nothing-here' },
    });
  });
});
