/**
 * What operators and developers reach beside /graphql: liveness (/healthz), readiness (/readyz),
 * Prometheus metrics (/metrics), GraphiQL in development (/graphiql), and the per-request
 * instruments (request count, latency, a trace span). None of it touches patient data.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { httpRequestDuration, httpRequests, registry, routeLabel, trackPool } from '../observability/metrics';
import { inSpan, incomingContext } from '../observability/tracing';
import { log } from '../log';
import { serveGraphiql } from './graphiql';
import { readiness, readinessProbe } from './health';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export interface Operability {
  /** Serves the operational routes; false when the path is none of them. */
  serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Runs the handling of one request inside a span and counts it when the response is finished. */
  instrument(req: IncomingMessage, res: ServerResponse, url: URL, handle: () => Promise<void>): Promise<void>;
  /** Stops reporting this server's database pool. */
  close(): void;
}

export function operability(
  config: Config, db: DataSource, draining: () => boolean = () => false, overloaded: () => boolean = () => false, keysReady?: () => Promise<void>,
): Operability {
  const untrack = trackPool(db);
  const probe = readinessProbe(db);
  return {
    async serve(req, res, url) {
      switch (url.pathname) {
        case '/healthz':
          res.writeHead(200, JSON_HEADERS);
          res.end(JSON.stringify({ status: 'ok' }));
          return true;
        case '/readyz': {
          // A draining replica leaves the load balancer's rotation at once.
          // An overloaded one too, so the balancer sends its traffic elsewhere while it recovers.
          const state = draining() ? { ready: false, status: 'draining' as const }
            : overloaded() ? { ready: false, status: 'overloaded' as const } : await readiness(db, probe, keysReady);
          res.writeHead(state.ready ? 200 : 503, JSON_HEADERS);
          res.end(JSON.stringify({ status: state.status, ...(state.pending ? { pending: state.pending } : {}) }));
          return true;
        }
        case '/metrics': {
          if (!config.metrics) return false;
          const text = await registry.metrics();
          res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
          res.end(text);
          return true;
        }
        default:
          return config.graphiql && (req.method === 'GET' || req.method === 'HEAD') ? serveGraphiql(url.pathname, res) : false;
      }
    },
    instrument(req, res, url, handle) {
      const route = routeLabel(url.pathname);
      const method = req.method === 'GET' || req.method === 'POST' ? req.method : 'other';
      const stop = httpRequestDuration.startTimer({ route, method });
      res.once('close', () => {
        const status = String(res.statusCode);
        const seconds = stop({ status });
        httpRequests.inc({ route, method, status });
        const header = (name: string) => {
          const value = res.getHeader(name);
          return typeof value === 'string' ? value : undefined;
        };
        log.debug('request', { requestId: header('x-request-id'), correlationId: header('x-correlation-id'), method, route, status: res.statusCode, durationMs: Math.round(seconds * 1000) });
      });
      return inSpan(`${method} ${route}`, { 'http.request.method': method, 'http.route': route }, async (span) => {
        await handle();
        span.setAttribute('http.response.status_code', res.statusCode);
      }, incomingContext(req.headers));
    },
    close() {
      untrack();
      probe.end().catch(() => undefined);
    },
  };
}
