/**
 * Security headers on every response of the HTTP server, whatever the route or status (200,
 * 400, 401, 404, 413, 429, 5xx). They are set first, on the response object, so a route that
 * writes its own headers keeps them unless it deliberately overrides one (an HTML page such as
 * GraphiQL needs its own Content-Security-Policy).
 */
import type { ServerResponse } from 'node:http';

/** Headers that hold in every environment. The API only ever answers JSON. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Patient data must never be stored by a browser or an intermediary cache.
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // A JSON API loads nothing and may be framed by nobody.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
};

/**
 * HSTS is sent in production only: there the API sits behind TLS (a browser ignores the header
 * on plain HTTP, RFC 6797 §8.1), while in development it would pin localhost to HTTPS.
 */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers of every response in this environment. */
export function securityHeadersFor(production: boolean): Record<string, string> {
  return production ? { ...SECURITY_HEADERS, 'strict-transport-security': HSTS } : { ...SECURITY_HEADERS };
}

/** Sets the headers on a response before its route runs. */
export function applySecurityHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}
