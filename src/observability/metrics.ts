/**
 * Prometheus metrics (prom-client), one registry per process. Labels are operational only —
 * route, method, status, role, category — never a patient, subject or value, so /metrics can be
 * scraped without releasing anything of the record.
 */
import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** HTTP requests by route (a fixed set), method and status. */
export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests handled, by route, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from request to response, by route, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Fields (and document categories) the policy withheld, by the caller's role and the category. */
export const deniedFields = new Counter({
  name: 'policy_denied_fields_total',
  help: 'Patient fields withheld by the policy, by role and data category',
  labelNames: ['role', 'category'] as const,
  registers: [registry],
});

/** Access-log writes that failed, each of which withheld a response (fail closed). */
export const accessLogWriteFailures = new Counter({
  name: 'access_log_write_failures_total',
  help: 'Access-log writes that failed; the response was withheld',
  registers: [registry],
});

/** The PostgreSQL pools of this process (normally one). */
const pools = new Set<DataSource>();

interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function poolOf(dataSource: DataSource): PgPoolCounts | undefined {
  // TypeORM's PostgreSQL driver keeps its pg.Pool as `master` (replicas under `slaves`).
  const pool = (dataSource.driver as unknown as { master?: PgPoolCounts }).master;
  return pool && typeof pool.totalCount === 'number' ? pool : undefined;
}

new Gauge({
  name: 'db_pool_connections',
  help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    let total = 0;
    let idle = 0;
    let waiting = 0;
    for (const ds of pools) {
      const pool = ds.isInitialized ? poolOf(ds) : undefined;
      if (!pool) continue;
      total += pool.totalCount;
      idle += pool.idleCount;
      waiting += pool.waitingCount;
    }
    this.set({ state: 'total' }, total);
    this.set({ state: 'idle' }, idle);
    this.set({ state: 'waiting' }, waiting);
  },
});

/** Reports this data source's pool in db_pool_connections; the returned function stops that. */
export function trackPool(dataSource: DataSource): () => void {
  pools.add(dataSource);
  return () => pools.delete(dataSource);
}

/** The routes requests are counted under; anything else is `other`, so labels stay few. */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/graphiql']);

export function routeLabel(pathname: string): string {
  if (ROUTES.has(pathname)) return pathname;
  if (pathname.startsWith('/graphiql/')) return '/graphiql';
  if (pathname.startsWith('/access-log/')) return '/access-log';
  return 'other';
}
