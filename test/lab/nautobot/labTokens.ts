import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { NautobotLabState } from '../state.js';
import { nautobotUrl } from './environment.js';
import { adminPassword, adminUsername } from './install.js';

export type LabTokens = NautobotLabState['tokens'];

const DEVICES_ONLY_USER = 'devices-reader';

const createdSchema = z.object({ id: z.uuid() });

/**
 * Makes the lab's three API tokens through the REST API, as an operator would:
 * the admin's read-write and read-only tokens, and a token of a user whose only object
 * permission is `view` on `dcim.device`, so clients can be tested against a refused
 * `dcim.interface`.
 */
export async function createLabTokens(): Promise<LabTokens> {
  const admin = basicAuth(adminUsername, adminPassword());
  const readWrite = await createToken(admin, {
    write_enabled: true,
    description: 'lab read-write',
  });
  const readOnly = await createToken(admin, { write_enabled: false, description: 'lab read-only' });

  const readerPassword = randomBytes(18).toString('base64url');
  const reader = await post(`Token ${readWrite}`, '/api/users/users/', {
    username: DEVICES_ONLY_USER,
    password: readerPassword,
  });
  await post(`Token ${readWrite}`, '/api/users/permissions/', {
    name: 'lab: view devices only',
    object_types: ['dcim.device'],
    actions: ['view'],
    users: [reader.id],
    enabled: true,
  });
  // Nautobot lets a user make tokens only with a permission on users.token; this one is limited
  // to the user's own tokens, as Nautobot's documentation recommends.
  await post(`Token ${readWrite}`, '/api/users/permissions/', {
    name: 'lab: own tokens',
    object_types: ['users.token'],
    actions: ['view', 'add', 'change', 'delete'],
    constraints: { user: '$user' },
    users: [reader.id],
    enabled: true,
  });
  const devicesOnly = await createToken(basicAuth(DEVICES_ONLY_USER, readerPassword), {
    write_enabled: false,
    description: 'lab devices only',
  });

  return { readWrite, readOnly, devicesOnly };
}

async function createToken(
  authorization: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const key = randomBytes(20).toString('hex');
  await post(authorization, '/api/users/tokens/', { key, ...fields });
  return key;
}

async function post(authorization: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${nautobotUrl}${path}`, {
    method: 'POST',
    headers: {
      Authorization: authorization,
      'Content-Type': 'application/json',
      Accept: 'application/json; version=3.2',
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(
      `POST ${path} answered ${response.status}, expected 201: ${text.slice(0, 500)}`,
    );
  }
  return createdSchema.parse(JSON.parse(text));
}

function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
