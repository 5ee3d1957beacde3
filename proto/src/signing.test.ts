import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.ts';
import {
  authPayloadOf,
  generateSigningKeyPair,
  keyIdOf,
  signPayload,
  verifyPayload,
} from './signing.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level, so key order does not change the signed bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

describe('ed25519 payload signatures', () => {
  const payload = {
    purpose: 'plumbline.job.v1',
    jobId: 'j1',
    kind: 'push',
    params: { lines: ['a'] },
  };

  it('verifies a signature made with the matching key, whatever the key order', () => {
    const pair = generateSigningKeyPair();
    const signature = signPayload(payload, pair.secretKey);
    const reordered = {
      params: { lines: ['a'] },
      kind: 'push',
      jobId: 'j1',
      purpose: 'plumbline.job.v1',
    };
    expect(verifyPayload(reordered, signature, pair.publicKey)).toBe(true);
  });

  it('refuses an altered payload, another key and malformed input without throwing', () => {
    const pair = generateSigningKeyPair();
    const signature = signPayload(payload, pair.secretKey);
    const altered = { ...payload, params: { lines: ['b'] } };
    expect(verifyPayload(altered, signature, pair.publicKey)).toBe(false);
    expect(verifyPayload(payload, signature, generateSigningKeyPair().publicKey)).toBe(false);
    expect(verifyPayload(payload, 'not base64!', pair.publicKey)).toBe(false);
    expect(verifyPayload(payload, signature, 'c2hvcnQ=')).toBe(false);
  });

  it('names a key by a short stable id', () => {
    const pair = generateSigningKeyPair();
    expect(keyIdOf(pair.publicKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(pair.publicKey)).toBe(keyIdOf(pair.publicKey));
  });

  it('makes the same signatures as tweetnacl, and verifies those of tweetnacl', () => {
    const pair = generateSigningKeyPair();
    const message = new TextEncoder().encode(canonicalJson(payload));
    const secretKey = new Uint8Array(Buffer.from(pair.secretKey, 'base64'));
    const naclSignature = Buffer.from(nacl.sign.detached(message, secretKey)).toString('base64');
    expect(signPayload(payload, pair.secretKey)).toBe(naclSignature);
    expect(verifyPayload(payload, naclSignature, pair.publicKey)).toBe(true);
  });
});

describe('authPayloadOf', () => {
  it("covers the auth frame's identity and connection fields, not its signature or flags", () => {
    const frame = {
      type: 'auth',
      version: 1,
      agentId: 'a-1',
      tenantId: 't-1',
      publicKey: 'pk',
      challenge: 'ch',
      connectionId: 'c-1',
      signature: 'sig',
      agentVersion: '1.2.3',
      readOnly: true,
    };
    expect(authPayloadOf(frame)).toEqual({
      purpose: 'plumbline.auth.v1',
      challenge: 'ch',
      connectionId: 'c-1',
      version: 1,
      agentId: 'a-1',
      tenantId: 't-1',
      publicKey: 'pk',
    });
  });
});
