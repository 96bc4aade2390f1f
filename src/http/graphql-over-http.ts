/**
 * The parts of the GraphQL-over-HTTP specification that sit in front of Apollo Server: which
 * requests reach it at all (methods, request media types) and the media type of the answers
 * this layer gives itself (401, 400, 413, 415). Apollo Server 5 does the rest: it answers
 * `application/graphql-response+json` when the client prefers it, 400 for parse and validation
 * errors, 405 for a mutation over GET, and its CSRF prevention refuses GETs without a
 * non-simple header (`apollo-require-preflight`).
 */
import type { IncomingMessage } from 'node:http';

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export const APPLICATION_JSON = 'application/json';

/** Why a request is refused before GraphQL sees it, or undefined when it may go on. */
export interface RequestRefusal {
  status: 405 | 415;
  message: string;
  headers: Record<string, string>;
}

/** GET and POST only; a POST must carry a JSON body (UTF-8). */
export function refuseRequestShape(req: IncomingMessage): RequestRefusal | undefined {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    return { status: 405, message: 'Use GET (queries) or POST', headers: { allow: 'GET, POST' } };
  }
  if (method === 'POST') {
    const [type, ...params] = String(req.headers['content-type'] ?? '').split(';').map((p) => p.trim().toLowerCase());
    const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
    if (type !== APPLICATION_JSON || (charset !== undefined && charset !== 'utf-8')) {
      // Also what keeps a cross-site "simple" form or text/plain POST away from the API.
      return { status: 415, message: 'POST a JSON body with content-type application/json', headers: { 'accept-post': APPLICATION_JSON } };
    }
  }
  return undefined;
}

/**
 * The media type for a response: graphql-response+json when the client's Accept header prefers
 * it (or names only it), else application/json (also for no Accept header, per the spec's
 * compatibility rule).
 */
export function responseMediaType(accept: string | string[] | undefined): string {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (!header) return APPLICATION_JSON;
  let best = APPLICATION_JSON;
  let bestQ = -1;
  for (const part of header.split(',')) {
    const [range, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const type = range === GRAPHQL_RESPONSE_JSON ? GRAPHQL_RESPONSE_JSON : range === APPLICATION_JSON || range === 'application/*' || range === '*/*' ? APPLICATION_JSON : undefined;
    if (type && q > bestQ) {
      best = type;
      bestQ = q;
    }
  }
  return best;
}
