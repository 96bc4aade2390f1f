/**
 * CORS for /graphql (CORS_ORIGINS): a browser front-end on another origin may call the API when
 * its origin is on the allow-list, compared exactly. Credentials stay off (the API reads a bearer
 * token, never a cookie), so `Access-Control-Allow-Credentials` is never sent. Without
 * CORS_ORIGINS no CORS header is sent at all and browsers keep to the same origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request headers the API reads: the token, JSON, a request id, Apollo's CSRF headers and trace context. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name', 'traceparent', 'tracestate'];
/** Response headers a front-end may read beyond the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'www-authenticate'];
/** How long a browser may reuse a preflight's answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Sets the CORS headers of a /graphql response; true when it has answered the request itself (a preflight). */
export type Cors = (req: IncomingMessage, res: ServerResponse) => boolean;

/** CORS for this allow-list; with an empty list, nothing. */
export function corsFor(origins: readonly string[]): Cors {
  const allowed = new Set(origins);
  if (allowed.size === 0) return () => false;
  return (req, res) => {
    // The answer depends on Origin, also when it refuses one: caches must keep them apart.
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    const permitted = typeof origin === 'string' && allowed.has(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (permitted) res.setHeader('access-control-allow-origin', origin);
    if (!preflight) {
      if (permitted) res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      return false;
    }
    if (permitted) {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS.join(', '));
      res.setHeader('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
    }
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return true;
  };
}
