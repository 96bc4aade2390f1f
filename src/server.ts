/**
 * The HTTP server: authentication before anything else, then Apollo Server on /graphql with the
 * policed schema and the access-log plugin; /healthz and /readyz for operators.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { randomUUID } from 'node:crypto';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { accessLogPlugin } from './audit/access-log.plugin';
import { createTokenVerifier } from './auth/tokens';
import type { Config } from './config';
import { RequestContext, createRequestContext } from './context';
import { countStatements } from './db/statement-counter';
import { AuthenticationError, isClientSafe } from './errors';
import { describeError, log } from './log';
import { buildPolicedSchema } from './schema';

export const MAX_BODY_BYTES = 100 * 1024;

/** Codes that graphql-js and Apollo give to malformed requests; safe to pass through. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

export interface ApiServer {
  url: string;
  httpServer: http.Server;
  close(): Promise<void>;
}

class PayloadTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PayloadTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Starts the API on config.port (0 for any free port) and resolves once it listens. */
export async function startServer(config: Config, db: DataSource): Promise<ApiServer> {
  const host = config.host;
  const verifier = createTokenVerifier(config);
  const onInternalError = (error: unknown) => log.error('resolver failed', describeError(error));
  const schema = buildPolicedSchema(onInternalError);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    plugins: [accessLogPlugin()],
    formatError: (formatted, error) => {
      const original = unwrapResolverError(error);
      if (isClientSafe(original) || REQUEST_ERROR_CODES.has(String(formatted.extensions?.code))) {
        return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: formatted.extensions?.code } };
      }
      log.error('request failed', describeError(original));
      return { message: 'The request could not be completed', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
  await apollo.start();

  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    // Only a header that is present and well-formed is kept (String(undefined) would pass the test as "undefined").
    const incomingRequestId = req.headers['x-request-id'];
    const requestId = typeof incomingRequestId === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(incomingRequestId) ? incomingRequestId : randomUUID();
    let principal;
    try {
      principal = await verifier.verify(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) log.error('token verification failed', describeError(error));
      return sendJson(res, 401, { errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] }, { 'www-authenticate': 'Bearer', 'x-request-id': requestId });
    }
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req);
      try {
        body = text.length ? JSON.parse(text) : undefined;
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'The body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const client = String(req.headers['user-agent'] ?? '').slice(0, 200) || null;
    const context = createRequestContext(db, config, schema, principal, { requestId, client });
    const counted = countStatements(() => apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => context,
    }));
    const result = await counted.result;
    const outHeaders: Record<string, string> = { ...SECURITY_HEADERS, 'x-request-id': requestId };
    // Development and benchmarks read how many SQL statements the request needed.
    if (!config.production) outHeaders['x-sql-statements'] = String(counted.count());
    for (const [key, value] of result.headers) outHeaders[key] = value;
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === 'complete') res.end(result.body.string);
    else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = async () => {
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' }, SECURITY_HEADERS);
      if (url.pathname === '/readyz') {
        const ok = await db.query('SELECT 1').then(() => true, () => false);
        return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unavailable' }, SECURITY_HEADERS);
      }
      if (url.pathname === '/graphql') return handleGraphql(req, res, url);
      return sendJson(res, 404, { error: 'not found' }, SECURITY_HEADERS);
    };
    route().catch((error) => {
      if (error instanceof PayloadTooLarge) return sendJson(res, 413, { errors: [{ message: `The body exceeds ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
      log.error('http handler failed', describeError(error));
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'The request could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(config.port, host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/graphql`,
    httpServer,
    close: async () => {
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await apollo.stop();
    },
  };
}
