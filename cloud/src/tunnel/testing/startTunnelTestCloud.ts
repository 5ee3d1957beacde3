import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '@plumbline/log';
import { loadCloudConfig } from '../../config/CloudConfig.ts';
import { type RunningCloud, type StartCloudOptions, startCloud } from '../../startCloud.ts';
import type { Actor } from '../../store/records.ts';
import { enrollRawAgent, type RawAgentIdentity } from './rawAgent.ts';

const testActor: Actor = { kind: 'cli', id: null, label: 'tunnel test' };

export interface TunnelTestTenant {
  id: string;
  slug: string;
  /** An API token of the tenant's admin. */
  adminToken: string;
  /** Makes a single-use enrollment token and enrolls a fresh key pair with it over HTTP. */
  enroll(name?: string): Promise<RawAgentIdentity>;
}

export interface TunnelTestCloud {
  cloud: RunningCloud;
  dataDir: string;
  addTenant(slug: string): Promise<TunnelTestTenant>;
  /** Authenticated JSON request to the API. */
  api(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{
    status: number;
    json: unknown;
  }>;
  /** Stops the cloud; the data directory stays until `dispose`. */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A real cloud (`startCloud`) on 127.0.0.1 and a free port, with a file-backed store in a
 * temporary directory, so a test can stop it and start another on the same data.
 */
export async function startTunnelTestCloud(
  options: StartCloudOptions & {
    dataDir?: string;
    logger?: Logger;
    /** More settings, by their environment names. */
    env?: Record<string, string>;
  } = {},
): Promise<TunnelTestCloud> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plumbline-tunnel-'));
  const config = loadCloudConfig({
    PLUMBLINE_DATA_DIR: dataDir,
    PLUMBLINE_HOST: '127.0.0.1',
    PLUMBLINE_PORT: '0',
    PLUMBLINE_SHUTDOWN_GRACE_MS: '500',
    ...options.env,
  });
  const logger = options.logger ?? createLogger({ name: 'tunnel-test', level: 'silent' });
  const cloud = await startCloud(config, logger, options);
  let stopped = false;

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, cloud.url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  const addTenant = async (slug: string): Promise<TunnelTestTenant> => {
    const tenant = await cloud.store
      .findTenantBySlug(slug)
      .then((found) => found ?? cloud.store.createTenant({ slug, displayName: slug }, testActor));
    const email = `admin-${Math.random().toString(36).slice(2)}@${slug}.test`;
    const user = await cloud.store.createUser({ email, displayName: 'admin' }, testActor);
    const scope = cloud.store.tenant(tenant.id);
    await scope.addMember({ email, role: 'admin' }, testActor);
    const { secret } = await scope.createToken({ userId: user.id, name: 'admin' }, testActor);
    return {
      id: tenant.id,
      slug,
      adminToken: secret,
      enroll: async (name) => {
        const made = await api(
          secret,
          'POST',
          `/api/v1/tenants/${slug}/agents/enrollment-tokens`,
          {},
        );
        const { token } = made.json as { token: string };
        return enrollRawAgent(cloud.url, token, name);
      },
    };
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await cloud.stop();
  };
  return {
    cloud,
    dataDir,
    addTenant,
    api,
    stop,
    dispose: async () => {
      await stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
