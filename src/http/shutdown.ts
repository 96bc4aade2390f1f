/**
 * Graceful shutdown of the HTTP server under load. `server.close()` alone stops accepting new
 * connections but leaves busy keep-alive connections open, and clients keep sending requests on
 * them; the soak found the API answering those with 500 for minutes after SIGTERM (Apollo had
 * already stopped). While draining, every response says `Connection: close`, idle connections are
 * closed at once, and whatever is still open after the grace period is cut.
 */
import type http from 'node:http';

/** How long requests in flight may take to finish after a shutdown began. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface Drain {
  /** True from the moment a shutdown began (readiness answers 503 from then on). */
  readonly draining: boolean;
  /** Stops accepting requests and resolves once every connection is closed. */
  close(): Promise<void>;
}

export function drainable(server: http.Server, graceMs = SHUTDOWN_GRACE_MS): Drain {
  let draining = false;
  // First listener: a route may send its headers synchronously.
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
  });
  return {
    get draining() {
      return draining;
    },
    async close() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      await closed;
      clearTimeout(force);
    },
  };
}
