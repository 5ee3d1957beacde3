import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface CloudMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDurationSeconds: Histogram<'method' | 'route'>;
}

/**
 * A registry of the service's own, not prom-client's global one, so two apps in one process
 * (as in tests) never share counters. Routes are labelled by their pattern, not the path, so
 * tenant slugs and ids never become label values.
 */
export function createMetrics(): CloudMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'plumbline_cloud_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'plumbline_cloud_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDurationSeconds: new Histogram({
      name: 'plumbline_cloud_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
