/**
 * The HTTP server: authentication before anything else, then Apollo Server on /graphql with the
 * policed schema and the access-log plugin; /healthz and /readyz for operators.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { randomUUID } from 'node:crypto';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { accessLogPlugin } from './audit/access-log.plugin';
import { startCheckpointer } from './audit/tlog/checkpointer';
import { accessLogRoutes } from './http/access-log-routes';
import { AUDIT_EVENT_PATH, auditEventSearch, auditEventSearchAnswer, FHIR_JSON } from './http/fhir-routes';
import { createRateLimiter } from './auth/rate-limit';
import { withRevocationCheck } from './auth/revocation';
import { createTokenVerifier } from './auth/tokens';
import type { Config } from './config';
import { RequestContext, createRequestContext } from './context';
import { openRequestConnection } from './db/row-security';
import { countStatements, reportRequestStatements } from './db/statement-counter';
import { AuthenticationError, isClientSafe } from './errors';
import { BodyTimeout, MAX_BODY_BYTES, PayloadTooLarge, readBody, sendBodyTimeout, sendPayloadTooLarge } from './http/limits';
import { SECURITY_HEADERS, applySecurityHeaders, securityHeadersFor } from './http/security-headers';
import { Drain, drainable } from './http/shutdown';
import { apolloLogger, describeError, log } from './log';
import { buildPolicedSchema } from './schema';
import { compiledExecution } from './graphql/compiled-execution';
import { refuseToken } from './http/bearer-challenge';
import { corsFor } from './http/cors';
import { refuseRequestShape, responseMediaType } from './http/graphql-over-http';
import { operability } from './http/operability';
import { isDatabaseUnavailable, noteError, overload, RETRY_AFTER_SECONDS, sendUnavailable } from './http/overload';
import { issuedTokenCheck } from './portal/issued-tokens';
import { formatQueryLimitError, queryLimits } from './security/query-limits';
import { DocumentAdmission, trustedDocuments } from './http/trusted-documents';

export { MAX_BODY_BYTES };

/** Codes that graphql-js and Apollo give to malformed requests; safe to pass through. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

export interface ApiServer {
  url: string;
  httpServer: http.Server;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the API on config.port (0 for any free port) and resolves once it listens. */
export async function startServer(config: Config, db: DataSource): Promise<ApiServer> {
  const host = config.host;
  const verifier = withRevocationCheck(createTokenVerifier(config, { issuedTokens: issuedTokenCheck(config, db) }), db);
  let drain: Drain | undefined;
  const load = overload(config.maxInFlight);
  const ops = operability(config, db, () => drain?.draining ?? false, () => load.overloaded(), () => verifier.keysReady());
  const rateLimiter = createRateLimiter(config, db);
  const responseHeaders = securityHeadersFor(config.production);
  const cors = corsFor(config.corsOrigins);
  const onInternalError = (error: unknown) => {
    noteError(error);
    log.error('resolver failed', describeError(error));
  };
  const schema = buildPolicedSchema(onInternalError);
  const limits = queryLimits(config.production);
  const documents = trustedDocuments(config);
  const apollo = new ApolloServer<RequestContext>({
    // Apollo parses, validates and runs the plugins; compiled queries execute (src/graphql/compiled-execution.ts).
    gateway: compiledExecution(schema),
    logger: apolloLogger,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    // main.ts owns SIGTERM/SIGINT: HTTP drains first, then Apollo stops (see close()).
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: registering documents at run time would let any client add its own (docs/trusted-documents.md).
    persistedQueries: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    // No HTTP caching of patient data, so no cache-control plugin (it would hook every field resolution).
    plugins: [...limits.plugins, accessLogPlugin(), ApolloServerPluginCacheControlDisabled()],
    formatError: (formatted, error) => {
      const tooComplex = formatQueryLimitError(formatted, error);
      if (tooComplex) return tooComplex;
      const original = unwrapResolverError(error);
      noteError(original);
      if (isClientSafe(original) || REQUEST_ERROR_CODES.has(String(formatted.extensions?.code))) {
        return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: formatted.extensions?.code } };
      }
      log.error('request failed', describeError(original));
      return { message: 'The request could not be completed', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
  await apollo.start();
  const serveAccessLog = accessLogRoutes(config, db);
  const checkpointer = startCheckpointer(db, config);

  // fhir: a FHIR search translated to a GraphQL GET (src/http/fhir-routes.ts), answered as FHIR.
  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, url: URL, fhir?: { field: string; search: string }) => {
    // The request id in the access log is always the server's own, unique per request. A client's
    // x-request-id (kept only when well-formed) is a correlation id: echoed and logged, never the key.
    const requestId = randomUUID();
    const incoming = req.headers['x-request-id'];
    const correlationId = typeof incoming === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : undefined;
    const correlation: Record<string, string> = correlationId ? { 'x-correlation-id': correlationId } : {};
    // GraphQL over HTTP: GET or POST only, a POST carries JSON; our own errors speak the client's media type.
    const mediaType = { 'content-type': `${responseMediaType(req.headers.accept)}; charset=utf-8` };
    const refusal = fhir ? undefined : refuseRequestShape(req);
    if (refusal) return sendJson(res, refusal.status, { errors: [{ message: refusal.message, extensions: { code: 'BAD_REQUEST' } }] }, { ...refusal.headers, ...mediaType, 'x-request-id': requestId });
    let principal;
    try {
      principal = await verifier.verify(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) {
        // The token could not be checked (key or deny-list unreachable): not the client's fault, and no data.
        log.error('token verification failed', describeError(error));
        return sendJson(res, 503, { errors: [{ message: 'The service is temporarily unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, { 'retry-after': '5', 'x-request-id': requestId });
      }
      return sendJson(res, 401, { errors: [{ message: 'A valid bearer token is required', extensions: { code: 'UNAUTHENTICATED' } }] }, { 'www-authenticate': refuseToken(error, req.headers.authorization, requestId), 'x-request-id': requestId, ...mediaType });
    }
    const rate = await rateLimiter.consume(principal);
    if (!rate.allowed) {
      return sendJson(res, 429, { errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] }, { 'retry-after': String(rate.retryAfterSeconds), 'x-request-id': requestId });
    }
    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req, MAX_BODY_BYTES, config.httpBodyTimeoutMs);
      try {
        body = text.length ? JSON.parse(text) : undefined;
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'The body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }, mediaType);
      }
    }
    // A FHIR search runs the server's own fixed document, not one the client sent.
    const document: DocumentAdmission = fhir ? { admitted: true, body, search: fhir.search } : documents.admit(principal, req.method ?? 'GET', url.search, body);
    if (!document.admitted) {
      log.info('document refused', { requestId, role: principal.role, client: principal.client, code: document.code });
      return sendJson(res, document.status, { errors: [{ message: document.message, extensions: { code: document.code } }] }, { ...mediaType, 'x-request-id': requestId, ...correlation });
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    if (fhir) {
      headers.set('apollo-require-preflight', 'true');
      headers.set('accept', 'application/json');
    }
    const client = String(req.headers['user-agent'] ?? '').slice(0, 200) || null;
    // The request's statements run on one connection as the API role, under row-level security.
    const counted = countStatements(() => load.watch(async () => {
      const connection = await openRequestConnection(db, config.databaseApiRole, principal, config.gpAccessModel).catch((error) => {
        noteError(error);
        log.error('no database connection for the request', describeError(error));
        return null;
      });
      if (!connection) return null;
      try {
        const context = createRequestContext(db, connection, config, schema, principal, { requestId, client });
        return await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: document.search, body: document.body },
          context: async () => context,
        });
      } finally {
        await connection.release();
      }
    }));
    const { result, unavailable } = await counted.result;
    reportRequestStatements(counted.count(), requestId);
    // The database ran out of time for part of it: nothing of the answer leaves (src/http/overload.ts).
    if (unavailable || !result) return sendUnavailable(res, { 'x-request-id': requestId, ...correlation });
    const outHeaders: Record<string, string> = { ...SECURITY_HEADERS, 'x-request-id': requestId, ...correlation };
    for (const [key, value] of result.headers) outHeaders[key] = value;
    if (result.status === 503) outHeaders['retry-after'] = String(RETRY_AFTER_SECONDS);
    if (fhir && result.body.kind === 'complete') {
      const answer = auditEventSearchAnswer(fhir.field, result.status ?? 200, result.body.string);
      res.writeHead(answer.status, { ...outHeaders, 'content-type': `${FHIR_JSON}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === 'complete') res.end(result.body.string);
    else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  // Slow clients: headers, body and the whole request each have a deadline; Node checks
  // the first and last every second (its default, 30 s, would let a trickling socket live on).
  const httpServer = http.createServer({
    headersTimeout: config.httpHeadersTimeoutMs,
    requestTimeout: config.httpRequestTimeoutMs,
    connectionsCheckingInterval: 1000,
  }, (req, res) => {
    applySecurityHeaders(res, responseHeaders);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = async () => {
      if (await ops.serve(req, res, url)) return;
      if (await serveAccessLog(req, res, url)) return;
      if (url.pathname === AUDIT_EVENT_PATH) {
        const search = auditEventSearch(req.method, url);
        if ('outcome' in search) return sendJson(res, search.status, search.outcome, { ...SECURITY_HEADERS, 'content-type': `${FHIR_JSON}; charset=utf-8` });
        if (!load.admit(res)) return sendUnavailable(res, { connection: 'close' });
        return handleGraphql(req, res, url, search);
      }
      if (url.pathname === '/graphql') {
        if (cors(req, res)) return undefined;
        // Load shedding: beyond MAX_IN_FLIGHT the request is refused before its body is read.
        if (!load.admit(res)) return sendUnavailable(res, { connection: 'close' });
        return handleGraphql(req, res, url);
      }
      return sendJson(res, 404, { error: 'not found' }, SECURITY_HEADERS);
    };
    ops.instrument(req, res, url, route).catch((error) => {
      if (error instanceof PayloadTooLarge) return sendPayloadTooLarge(res);
      if (error instanceof BodyTimeout) return sendBodyTimeout(res);
      if (isDatabaseUnavailable(error) && !res.headersSent) {
        load.refused(error);
        return sendUnavailable(res);
      }
      log.error('http handler failed', describeError(error));
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'The request could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });

  const drainer = drainable(httpServer);
  drain = drainer;
  await new Promise<void>((resolve) => httpServer.listen(config.port, host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/graphql`,
    httpServer,
    close: async () => {
      await checkpointer.stop();
      await drainer.close();
      await apollo.stop();
      ops.close();
    },
  };
}
