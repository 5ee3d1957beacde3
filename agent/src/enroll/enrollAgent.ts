import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  type EnrollRequest,
  enrollPath,
  enrollResponseSchema,
  generateSigningKeyPair,
} from '@plumbline/proto';
import { AgentError } from '../AgentError.ts';
import { agentVersion } from '../agentVersion.ts';
import type { AgentIdentity } from '../identity/AgentIdentity.ts';
import { identityPath } from '../identity/identityPath.ts';
import { writeIdentity } from '../identity/writeIdentity.ts';
import type { FetchFunction } from './FetchFunction.ts';
import { nodeFetch } from './nodeFetch.ts';
import { normalizeCloudUrl } from './normalizeCloudUrl.ts';
import { transportFailure } from './transportFailure.ts';

export interface EnrollOptions {
  cloudUrl: string;
  token: string;
  stateDir: string;
  /** How the cloud lists this agent; the host name when absent. */
  name?: string;
  /** Replace an identity that is already there. */
  force?: boolean;
  fetch?: FetchFunction;
  caFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** What enrollment made, without the private key. */
export interface EnrolledAgent {
  agentId: string;
  tenantId: string;
  tenantSlug: string;
  cloudUrl: string;
  publicKey: string;
  identityPath: string;
}

/**
 * Registers a fresh ed25519 key with a single-use enrollment token and stores the identity
 * (0600) in the state directory. An existing identity is checked before the token is spent.
 */
export async function enrollAgent(options: EnrollOptions): Promise<EnrolledAgent> {
  const cloudUrl = normalizeCloudUrl(options.cloudUrl);
  const path = identityPath(options.stateDir);
  if (existsSync(path) && options.force !== true) {
    throw new AgentError(
      'identity_exists',
      `${path} already holds an enrolled identity; pass --force to replace it ` +
        '(the old agent stops working once the cloud revokes it)',
    );
  }

  const keyPair = generateSigningKeyPair();
  const name = options.name ?? (hostname().slice(0, 128) || 'agent');
  const body: EnrollRequest = {
    token: options.token,
    publicKey: keyPair.publicKey,
    name,
    agentVersion,
  };
  const fetchFn =
    options.fetch ?? nodeFetch({ caFile: options.caFile, env: options.env ?? process.env });
  const url = `${cloudUrl}${enrollPath}`;

  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw transportFailure(error, url);
  }
  const answer = await readAnswer(response, url);

  const identity: AgentIdentity = {
    version: 1,
    agentId: answer.agentId,
    tenantId: answer.tenantId,
    tenantSlug: answer.tenantSlug,
    cloudUrl,
    name,
    keyPair,
    cloudSigningPublicKey: answer.cloudSigningPublicKey,
    enrolledAtMs: Date.now(),
  };
  writeIdentity(options.stateDir, identity);
  return {
    agentId: identity.agentId,
    tenantId: identity.tenantId,
    tenantSlug: identity.tenantSlug,
    cloudUrl,
    publicKey: keyPair.publicKey,
    identityPath: path,
  };
}

async function readAnswer(response: Response, url: string) {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) throw refusal(response.status, json, url);
  const parsed = enrollResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new AgentError(
      'enroll_failed',
      `${url} answered ${response.status} without a valid enrollment (expected agentId, ` +
        'tenantId, tenantSlug and cloudSigningPublicKey); is --cloud the plumbline cloud?',
    );
  }
  return parsed.data;
}

function refusal(status: number, json: unknown, url: string): AgentError {
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const said =
    typeof error?.message === 'string'
      ? ` (${String(error.code ?? '').slice(0, 64)}: ${error.message.slice(0, 500)})`
      : '';
  if (status === 401 || status === 403 || status === 404 || status === 409 || status === 410) {
    return new AgentError(
      'token_refused',
      `the cloud refused the enrollment token with HTTP ${status}${said}. Tokens are single ` +
        'use and expire (1 hour by default): ask a tenant admin for a new one',
    );
  }
  return new AgentError(
    'enroll_failed',
    `${url} answered HTTP ${status}${said}; check --cloud, or try again later`,
  );
}
