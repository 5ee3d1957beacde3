import { z } from 'zod';
import { isSupportedVersion, requestedApiVersion, unsupportedVersion } from './apiVersion.ts';
import { listPages } from './listPages.ts';
import type {
  ListAllOptions,
  NautobotClient,
  NautobotClientOptions,
  ProbeResult,
} from './NautobotClient.ts';
import { pageSchema } from './pageSchema.ts';
import { parseAnswer } from './parseAnswer.ts';
import { resolveOptions } from './resolveOptions.ts';
import { type ResourceModel, type ResourceName, resources } from './resources.ts';
import { type RequestSpec, sendRequest } from './sendRequest.ts';

const countOnly = pageSchema(z.unknown());
const statusSchema = z.looseObject({ 'nautobot-version': z.string() });

export function createNautobotClient(options: NautobotClientOptions): NautobotClient {
  const { transport, pageSize, maxParallelPages } = resolveOptions(options);
  const send = async (spec: Omit<RequestSpec, 'apiVersion'> & { apiVersion?: string }) =>
    (await sendRequest(transport, { apiVersion: requestedApiVersion, ...spec })).body;
  const context = (path: string) => ({ origin: transport.origin, request: `GET ${path}` });

  async function probe(signal?: AbortSignal): Promise<ProbeResult> {
    const devicesPath = resources.devices.path;
    // Without a version the server answers with its newest, which is what the probe reports.
    const [devices, status] = await Promise.allSettled([
      sendRequest(transport, {
        method: 'GET',
        path: devicesPath,
        query: { limit: 1 },
        signal,
        apiVersion: undefined,
      }),
      send({ method: 'GET', path: '/api/status/', signal }),
    ]);
    if (devices.status === 'rejected') throw devices.reason;
    if (status.status === 'rejected') throw status.reason;

    const page = parseAnswer(countOnly, devices.value.body, context(devicesPath));
    const apiVersion = devices.value.headers.get('api-version') ?? '';
    const release = parseAnswer(statusSchema, status.value, context('/api/status/'));
    const nautobotVersion = release['nautobot-version'];
    if (!isSupportedVersion(nautobotVersion)) {
      throw unsupportedVersion(transport.origin, nautobotVersion, 'release', 'GET /api/status/');
    }
    return { nautobotVersion, apiVersion, deviceCount: page.count };
  }

  return {
    probe,

    async count(resource, filters, signal) {
      const { path } = resources[resource];
      const query = { ...filters, limit: 1, depth: 0 };
      const body = await send({ method: 'GET', path, query, signal });
      return parseAnswer(countOnly, body, context(path)).count;
    },

    async listAll<R extends ResourceName>(
      resource: R,
      { filters, signal, onPage }: ListAllOptions = {},
    ): Promise<Array<ResourceModel<R>>> {
      const { path, schema } = resources[resource];
      const started = performance.now();
      const rows = await listPages({
        schema,
        pageSize,
        maxParallelPages,
        origin: transport.origin,
        request: `GET ${path}`,
        onPage,
        fetchPage: (limit, offset) =>
          send({ method: 'GET', path, query: { ...filters, limit, offset, depth: 0 }, signal }),
      });
      const elapsedMs = Math.round(performance.now() - started);
      transport.logger?.debug({ resource, count: rows.length, elapsedMs }, 'nautobot list read');
      // `resources[resource].schema` is typed as the union of all models; this one is R's.
      return rows as Array<ResourceModel<R>>;
    },

    async request(method, path, { body, query, signal } = {}) {
      if (!path.startsWith('/')) throw new TypeError(`path must start with "/", got "${path}"`);
      return send({ method, path, query, body, signal });
    },
  };
}
