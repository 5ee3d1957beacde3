import type { Logger } from '@plumbline/log';
import type { Filters } from './Filters.ts';
import type { ResourceModel, ResourceName } from './resources.ts';

export interface NautobotClientOptions {
  /** Nautobot's web address, e.g. `https://nautobot.example.net` (a path prefix is kept). */
  baseUrl: string;
  /** The 40-character API token; sent as `Authorization: Token …`, never logged. */
  token: string;
  /** The transport: Node's fetch, or one that tunnels each request through an agent. */
  fetch?: typeof globalThis.fetch;
  /** Rows per page; by default the server's maximum (MAX_PAGE_SIZE, 1000 out of the box). */
  pageSize?: number;
  /** Pages of one listing in flight at once; 4 by default. */
  maxParallelPages?: number;
  /**
   * Per attempt, from sending to the last byte of the answer; 120 s by default, since a
   * 1000-row page of interfaces can take tens of seconds on a busy Nautobot.
   */
  requestTimeoutMs?: number;
  /** Extra attempts of a GET after 429, 5xx or a broken connection; 4 by default. */
  retries?: number;
  /** The largest answer read, per page; 64 MiB by default. */
  maxResponseBytes?: number;
  logger?: Logger;
  /** Waits between retries; injected by tests. Rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1); injected by tests. */
  random?: () => number;
}

export interface ProbeResult {
  /** The release, e.g. `3.2.7`, from `/api/status/`. */
  nautobotVersion: string;
  /** The newest REST API version the server speaks, e.g. `3.2`. */
  apiVersion: string;
  /** How many devices the token's user may see. */
  deviceCount: number;
}

export interface ListAllOptions {
  filters?: Filters;
  signal?: AbortSignal;
  /** Called after every page with the rows fetched so far and the total. */
  onPage?: (fetched: number, total: number) => void;
}

export interface RequestOptions {
  body?: unknown;
  query?: Filters;
  signal?: AbortSignal;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface NautobotClient {
  /**
   * Checks that the URL serves Nautobot 3.x and that the token may read devices:
   * `GET /api/dcim/devices/?limit=1`, and `/api/status/` for the release.
   */
  probe(signal?: AbortSignal): Promise<ProbeResult>;
  /** How many objects match, from one `limit=1` request. */
  count(resource: ResourceName, filters?: Filters, signal?: AbortSignal): Promise<number>;
  /** Every object of a resource (that matches `filters`), in Nautobot's order. */
  listAll<R extends ResourceName>(
    resource: R,
    options?: ListAllOptions,
  ): Promise<Array<ResourceModel<R>>>;
  /**
   * Any other API call, such as registering a webhook: the parsed JSON answer, or undefined
   * for 204. Only GET and HEAD are retried. Errors are the same NautobotErrors.
   */
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<unknown>;
}
