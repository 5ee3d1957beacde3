import { createHash } from 'node:crypto';
import {
  type AgentFrame,
  type FrameOfType,
  generateSigningKeyPair,
  signPayload,
  streamWindowBytes,
} from '@plumbline/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpTargetsFrame } from '../../cloud/src/tunnel/http/httpTargetsFrame.ts';
import { freePort } from './freePort.ts';
import {
  agentId,
  blobStream,
  connectTunnelHttp,
  expectedBlobHash,
  TargetServer,
  type TunnelHttp,
  tenantId,
  waitForRoundTrip,
} from './tunnelHttpFixture.ts';

let target: TargetServer;
let tunnel: TunnelHttp;

beforeEach(async () => {
  target = await TargetServer.start();
  tunnel = await connectTunnelHttp();
  await tunnel.registerTargets([`${target.baseUrl}/api/`]);
});

afterEach(async () => {
  await tunnel.close();
  await target.close();
});

async function sha256Of(response: Response): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  if (!response.body) throw new Error('expected a body');
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    hash.update(chunk);
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function networkErrorOf(promise: Promise<unknown>): Promise<TypeError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(TypeError);
  return error as TypeError;
}

describe('tunnelFetch: requests and answers', () => {
  it('carries a GET with its query and headers, and answers with status, headers and body', async () => {
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/dcim/devices/?limit=1`, {
      headers: { authorization: 'Token s3cr3t', accept: 'application/json' },
    });

    expect(response.status).toBe(200);
    expect(response.url).toBe(`${target.baseUrl}/api/dcim/devices/?limit=1`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.has('keep-alive')).toBe(false);
    const echoed = (await response.json()) as {
      method: string;
      url: string;
      headers: Record<string, string>;
    };
    expect(echoed.method).toBe('GET');
    expect(echoed.url).toBe('/api/dcim/devices/?limit=1');
    expect(echoed.headers.authorization).toBe('Token s3cr3t');
    expect(echoed.headers.accept).toBe('application/json');
  });

  it('carries a POST body with its length, and the answer to it', async () => {
    const body = JSON.stringify({ name: 'leaf-01', tags: ['a'] });

    const response = await tunnel.client.fetch(`${target.baseUrl}/api/dcim/devices/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    const echoed = (await response.json()) as { body: string; headers: Record<string, string> };
    expect(echoed.body).toBe(body);
    expect(echoed.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(echoed.headers['transfer-encoding']).toBeUndefined();
  });

  it.each([
    ['1 MiB', 1024 * 1024],
    ['50 MiB', 50 * 1024 * 1024],
  ])('delivers a %s body byte-identical', async (_name, bytes) => {
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/blob?bytes=${bytes}`);

    expect(await sha256Of(response)).toEqual({ bytes, sha256: expectedBlobHash(bytes) });
  });

  it('uploads a 50 MiB streamed body byte-identical', async () => {
    const bytes = 50 * 1024 * 1024;

    const response = await tunnel.client.fetch(`${target.baseUrl}/api/hash`, {
      method: 'POST',
      body: blobStream(bytes),
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ bytes, sha256: expectedBlobHash(bytes) });
    expect(tunnel.pair.cloud.dataBytesSent.get(1)).toBe(bytes);
  });

  it('passes a redirect back instead of following it', async () => {
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/redirect`);

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://192.0.2.1/elsewhere');
    expect(target.seen.map((seen) => seen.url)).toEqual(['/api/redirect']);
  });

  it('interleaves concurrent requests on one link without mixing their bodies', async () => {
    const sizes = [1, 300_000, 70_000, 2 * 1024 * 1024, 0, 1024 * 1024 + 3, 5, 600_000];

    const results = await Promise.all(
      sizes.map(async (bytes) => {
        const response = await tunnel.client.fetch(`${target.baseUrl}/api/blob?bytes=${bytes}`);
        return sha256Of(response);
      }),
    );

    expect(results).toEqual(sizes.map((bytes) => ({ bytes, sha256: expectedBlobHash(bytes) })));
    expect(tunnel.client.openStreams).toBe(0);
  });

  it('logs one line per forwarded request, without its query string or headers', async () => {
    await (
      await tunnel.client.fetch(`${target.baseUrl}/api/ipam/prefixes/?q=secret-query`, {
        headers: { authorization: 'Token s3cr3t' },
      })
    ).text();

    const lines = tunnel.log.lines.filter((line) => line.msg === 'forwarded an HTTP request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      target: `${target.baseUrl}/api/ipam/prefixes/`,
      status: 200,
    });
    expect(tunnel.log.text).not.toContain('s3cr3t');
    expect(tunnel.log.text).not.toContain('secret-query');
  });
});

describe('tunnelFetch: flow control', () => {
  it('keeps what the agent sent but the reader has not taken within the window', async () => {
    const bytes = 8 * 1024 * 1024;
    let taken = 0;
    let mostOutstanding = 0;
    const agentSend = tunnel.pair.agent.sendData.bind(tunnel.pair.agent);
    let sent = 0;
    tunnel.pair.agent.sendData = (streamId, chunk) => {
      sent += chunk.byteLength;
      mostOutstanding = Math.max(mostOutstanding, sent - taken);
      agentSend(streamId, chunk);
    };

    const response = await tunnel.client.fetch(`${target.baseUrl}/api/blob?bytes=${bytes}`);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('expected a body');
    for (;;) {
      // Between reads, several round trips through the agent: time to overrun, if it would.
      await waitForRoundTrip(tunnel.pair);
      await waitForRoundTrip(tunnel.pair);
      const { done, value } = await reader.read();
      if (done) break;
      taken += value.byteLength;
    }

    expect(taken).toBe(bytes);
    expect(mostOutstanding).toBeLessThanOrEqual(streamWindowBytes);
    expect(mostOutstanding).toBeGreaterThan(streamWindowBytes / 2);
  });

  it('keeps what the cloud sent but the target has not read within the window', async () => {
    const bytes = 8 * 1024 * 1024;
    let requestRead = 0;
    const counted = blobStream(bytes);
    const cloudSend = tunnel.pair.cloud.sendData.bind(tunnel.pair.cloud);
    let sent = 0;
    let mostOutstanding = 0;
    const agentCredits: number[] = [];
    tunnel.pair.cloud.sendData = (streamId, chunk) => {
      sent += chunk.byteLength;
      mostOutstanding = Math.max(mostOutstanding, sent - requestRead);
      cloudSend(streamId, chunk);
    };
    const agentSendFrame = tunnel.pair.agent.send.bind(tunnel.pair.agent);
    tunnel.pair.agent.send = (frame) => {
      if (frame.type === 'stream.credit') {
        agentCredits.push(frame.bytes);
        requestRead += frame.bytes;
      }
      agentSendFrame(frame);
    };

    const response = await tunnel.client.fetch(`${target.baseUrl}/api/hash`, {
      method: 'POST',
      body: counted,
      duplex: 'half',
    } as RequestInit);

    expect(await response.json()).toEqual({ bytes, sha256: expectedBlobHash(bytes) });
    // Credit is granted only for bytes the target's connection took, so the cloud never ran
    // more than one window ahead of what the agent handed on.
    expect(mostOutstanding).toBeLessThanOrEqual(streamWindowBytes);
    expect(agentCredits.length).toBeGreaterThan(0);
  });
});

describe('tunnelFetch: cancelling and failing', () => {
  it('aborting mid-body errors the body with an AbortError and cuts the request to the target', async () => {
    const controller = new AbortController();
    const abandoned = target.nextAbandoned();
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/hold`, {
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    if (!reader) throw new Error('expected a body');
    expect((await reader.read()).value?.byteLength).toBe(1000);

    controller.abort();

    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    expect(await abandoned).toBe('/api/hold');
    await vi.waitFor(() => expect(tunnel.client.openStreams).toBe(0));
  });

  it('aborting before the answer rejects the fetch and cuts the request to the target', async () => {
    const controller = new AbortController();
    const abandoned = target.nextAbandoned();
    const pending = tunnel.client.fetch(`${target.baseUrl}/api/hang`, {
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(target.seen.map((seen) => seen.url)).toContain('/api/hang'));

    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(await abandoned).toBe('/api/hang');
  });

  it('errors the body when the link closes mid-answer, naming the agent and the request', async () => {
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/hold?page=2`);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('expected a body');
    await reader.read();

    tunnel.pair.agent.terminate();

    const error = await networkErrorOf(reader.read());
    expect(error.message).toMatch(
      new RegExp(`^agent ${agentId} disconnected during GET ${target.baseUrl}/api/hold \\(`),
    );
    expect(error.cause).toMatchObject({ code: 'agent_disconnected' });
  });

  it('rejects new requests once the link is closed', async () => {
    tunnel.pair.agent.terminate();
    await vi.waitFor(() => expect(tunnel.pair.cloud.closed).toBe(true));
    await tunnel.pair.close();

    const error = await networkErrorOf(tunnel.client.fetch(`${target.baseUrl}/api/x`));
    expect(error.cause).toMatchObject({ code: 'agent_disconnected' });
  });

  it('rejects with a TypeError carrying ECONNREFUSED when the target refuses the connection', async () => {
    const closedPort = await freePort();
    await tunnel.registerTargets([`http://127.0.0.1:${closedPort}/`]);

    const error = await networkErrorOf(tunnel.client.fetch(`http://127.0.0.1:${closedPort}/api/`));

    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(error.message).toContain(`connect ECONNREFUSED 127.0.0.1:${closedPort}`);
  });

  it('refuses more requests than the agent forwards at once, with too_many_streams', async () => {
    await tunnel.close();
    tunnel = await connectTunnelHttp({ forwarder: { maxConcurrentStreams: 1 } });
    await tunnel.registerTargets([`${target.baseUrl}/api/`]);
    const controller = new AbortController();
    const first = tunnel.client.fetch(`${target.baseUrl}/api/hang`, { signal: controller.signal });
    first.catch(() => {});
    await vi.waitFor(() => expect(target.seen).toHaveLength(1));

    const error = await networkErrorOf(tunnel.client.fetch(`${target.baseUrl}/api/x`));

    expect(error.cause).toMatchObject({ code: 'too_many_streams' });
    controller.abort();
  });
});

describe('tunnelFetch: deadlines', () => {
  let deadlines: { ms: number; fire: () => void }[];

  beforeEach(async () => {
    await tunnel.close();
    deadlines = [];
    tunnel = await connectTunnelHttp({
      client: { defaultTimeoutMs: 1234 },
      forwarder: {
        startDeadline: (ms, fire) => {
          deadlines.push({ ms, fire });
          return () => {};
        },
      },
    });
    await tunnel.registerTargets([`${target.baseUrl}/api/`]);
  });

  it('fails with code timeout when the target does not answer within the deadline', async () => {
    const abandoned = target.nextAbandoned();
    const pending = tunnel.client.fetch(`${target.baseUrl}/api/hang`);
    await vi.waitFor(() => expect(target.seen.map((seen) => seen.url)).toContain('/api/hang'));
    expect(deadlines.map((deadline) => deadline.ms)).toEqual([1234]);

    deadlines[0]?.fire();

    const error = await networkErrorOf(pending);
    expect(error.cause).toMatchObject({ code: 'timeout' });
    expect(error.message).toContain('within 1234 ms');
    expect(await abandoned).toBe('/api/hang');
  });

  it('fails the body with code timeout when the deadline passes mid-body', async () => {
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/hold`);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('expected a body');
    await reader.read();

    deadlines[0]?.fire();

    const error = await networkErrorOf(reader.read());
    expect(error.cause).toMatchObject({ code: 'timeout' });
  });
});

describe('tunnelFetch: what the agent passes on', () => {
  it('refuses a URL too long for a frame on the cloud side, and the link stays up', async () => {
    const url = `${target.baseUrl}/api/${'x'.repeat(9000)}`;

    const error = await networkErrorOf(tunnel.client.fetch(url));

    expect(error.cause).toMatchObject({ code: 'request_not_sendable' });
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/after`);
    expect(response.status).toBe(200);
  });

  it('fails an answer whose head the tunnel cannot carry, and the link stays up', async () => {
    const error = await networkErrorOf(tunnel.client.fetch(`${target.baseUrl}/api/many-headers`));

    expect(error.cause).toMatchObject({ code: 'response_not_sendable' });
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/after`);
    expect(response.status).toBe(200);
  });

  it('answers a gzipped body decoded, without the encoding headers that would now lie', async () => {
    const response = await tunnel.client.fetch(`${target.baseUrl}/api/gzip`);

    expect(response.headers.has('content-encoding')).toBe(false);
    expect(response.headers.has('content-length')).toBe(false);
    expect(await response.json()).toEqual({ compressed: true });
  });

  it('strips hop-by-hop request headers and Host, even when a peer sends them raw', async () => {
    const answer = await rawExchange({
      url: `${target.baseUrl}/api/echo`,
      headers: [
        ['Connection', 'X-Hop'],
        ['X-Hop', '1'],
        ['Keep-Alive', 'timeout=1'],
        ['Proxy-Authorization', 'Basic c2VjcmV0'],
        ['Host', 'evil.example'],
        ['X-Kept', 'yes'],
      ],
    });

    expect(answer).toMatchObject({ type: 'http.response', status: 200 });
    const seen = target.seen.at(-1)?.headers ?? {};
    expect(seen['x-kept']).toBe('yes');
    expect(seen.host).toBe(new URL(target.baseUrl).host);
    expect(seen['x-hop']).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
    expect(seen['keep-alive']).toBeUndefined();
  });
});

describe('tunnelFetch: only registered targets', () => {
  it.each([
    [
      'another port',
      (base: string) => `${base.replace(/:(\d+)$/, (_m, port) => `:${Number(port) + 1}`)}/api/x`,
    ],
    ['a path beside the base', (base: string) => `${base}/apix`],
    ['a path above the base', (base: string) => `${base}/admin/`],
    ['an encoded slash', (base: string) => `${base}/api/..%2fadmin`],
    ['another scheme', (base: string) => `${base.replace('http://', 'https://')}/api/x`],
  ])('refuses %s with target_not_allowed and sends nothing', async (_name, urlFor) => {
    const url = urlFor(target.baseUrl);

    const error = await networkErrorOf(tunnel.client.fetch(url));

    expect(error.cause).toMatchObject({ code: 'target_not_allowed' });
    expect(error.message).toContain('target not allowed');
    expect(target.seen).toHaveLength(0);
  });

  it('names the allowed bases when it refuses', async () => {
    const error = await networkErrorOf(tunnel.client.fetch('http://127.0.0.1:1/other'));

    expect(error.message).toContain('http://127.0.0.1:1/other');
    expect(error.message).toContain(`${target.baseUrl}/api/`);
  });

  it.each([
    ['a `..` that leaves the base', '/api/../admin/'],
    ['an encoded `..`', '/api/%2e%2E/admin/'],
    ['a backslash `..`', '/api\\..\\admin/'],
    ['credentials in the URL', '/api/x', 'admin:pw@'],
  ])('refuses %s even when a peer sends it as raw text', async (_name, path, userinfo = '') => {
    const url = target.baseUrl.replace('http://', `http://${userinfo}`) + path;

    const refusal = await rawRequestRefusal(url);

    expect(refusal).toMatchObject({ code: 'target_not_allowed' });
    expect(target.seen).toHaveLength(0);
  });

  it('refuses credentials in the URL on the cloud side already, as fetch does', async () => {
    const url = `${target.baseUrl.replace('http://', 'http://admin:pw@')}/api/x`;

    await networkErrorOf(tunnel.client.fetch(url));

    const sent = tunnel.pair.cloud.framesSent.filter(
      (frame) => frame.type === 'http.request' && frame.url.includes('/api/x'),
    );
    expect(sent).toHaveLength(0);
  });

  it('ignores a targets set signed with another key, or unsigned', async () => {
    const other = generateSigningKeyPair();
    const base = `http://127.0.0.1:9/`;
    tunnel.pair.cloud.send(
      httpTargetsFrame({
        agentId,
        tenantId,
        baseUrls: [base],
        signingSecretKey: other.secretKey,
        nowMs: 5_000,
      }),
    );
    tunnel.pair.cloud.send({
      type: 'http.targets',
      baseUrls: [base],
      issuedAtMs: 6_000,
      signature: 'AAAA',
    });
    await waitForRoundTrip(tunnel.pair);

    expect(tunnel.forwarder.allowedBaseUrls).toEqual([`${target.baseUrl}/api/`]);
    const warnings = tunnel.log.lines.filter((line) =>
      String(line.msg).includes('does not verify'),
    );
    expect(warnings).toHaveLength(2);
  });

  it('ignores a targets set signed for another agent', async () => {
    const payload = {
      purpose: 'plumbline.targets.v1',
      agentId: 'agent-2',
      tenantId,
      baseUrls: ['http://127.0.0.1:9/'],
      issuedAtMs: 7_000,
    };
    tunnel.pair.cloud.send({
      type: 'http.targets',
      baseUrls: payload.baseUrls,
      issuedAtMs: payload.issuedAtMs,
      signature: signPayload(payload, tunnel.keys.secretKey),
    });
    await waitForRoundTrip(tunnel.pair);

    expect(tunnel.forwarder.allowedBaseUrls).toEqual([`${target.baseUrl}/api/`]);
  });

  it('ignores a set older than the one in force, and takes a newer one', async () => {
    await tunnel.registerTargets(['http://127.0.0.1:9/old/'], 10);
    expect(tunnel.forwarder.allowedBaseUrls).toEqual([`${target.baseUrl}/api/`]);

    await tunnel.registerTargets(['http://127.0.0.1:9/new/'], 50_000);
    expect(tunnel.forwarder.allowedBaseUrls).toEqual(['http://127.0.0.1:9/new/']);
    const error = await networkErrorOf(tunnel.client.fetch(`${target.baseUrl}/api/x`));
    expect(error.cause).toMatchObject({ code: 'target_not_allowed' });
  });
});

let rawStreamId = 1_000_000;

/**
 * Sends one `http.request` as given, bypassing Request's own URL and header handling, and
 * returns the agent's first answer on that stream (`http.response` or `stream.error`).
 */
async function rawExchange(request: {
  url: string;
  headers?: [string, string][];
}): Promise<FrameOfType<AgentFrame, 'http.response' | 'stream.error'> | undefined> {
  const streamId = rawStreamId++;
  const answer = new Promise<FrameOfType<AgentFrame, 'http.response' | 'stream.error'> | undefined>(
    (resolve) => {
      tunnel.pair.cloud.attach({
        handleFrame: (frame) => {
          if (frame.type !== 'http.response' && frame.type !== 'stream.error') return false;
          if (frame.streamId !== streamId) return false;
          resolve(frame);
          return true;
        },
        handleData: () => {},
        linkClosed: () => resolve(undefined),
      });
    },
  );
  tunnel.pair.cloud.send({
    type: 'http.request',
    streamId,
    method: 'GET',
    url: request.url,
    headers: request.headers ?? [],
    hasBody: false,
    timeoutMs: 5000,
  });
  return answer;
}

async function rawRequestRefusal(url: string): Promise<unknown> {
  const answer = await rawExchange({ url });
  return answer?.type === 'stream.error' ? answer.error : answer;
}
