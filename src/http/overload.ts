/**
 * When the API cannot answer in time: a stalled database or more requests than it can hold.
 * Without bounds a locked table made every request wait for as long as the lock lasted, with
 * thousands queued for a connection and memory rising. Now a statement that runs past
 * DB_STATEMENT_TIMEOUT_MS, or a request that waits past DB_POOL_WAIT_TIMEOUT_MS for a connection,
 * turns the whole answer into 503 with Retry-After and no data (a half answer could be read as
 * "no lab results"), and beyond MAX_IN_FLIGHT requests at once the next is refused at the door,
 * before its body is read. /readyz reports `overloaded` while either happened recently.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';

/** What a client should wait before trying again. */
export const RETRY_AFTER_SECONDS = 2;
/** How long after the last refusal /readyz still says `overloaded`. */
const OVERLOADED_FOR_MS = 3000;

/** Out of time: a statement cancelled by statement_timeout, a lock not available, no pooled connection in time. */
const TIMEOUT_CODES = /^(57014|55P03)$/;
const TIMEOUT_MESSAGES = /timeout exceeded when trying to connect|Connection terminated due to connection timeout/;
/** The database went away or refuses connections: shutting down, too many connections, connection trouble. */
const LOST_CODES = /^(57P0[1-3]|53300|08...|ECONNREFUSED|ECONNRESET)$/;
const LOST_MESSAGES = /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error/;

type Unavailability = 'timeout' | 'lost';

/** Whether an error means the database cannot answer now (as opposed to a bug or bad input), and why. */
export function databaseUnavailability(error: unknown): Unavailability | null {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (TIMEOUT_CODES.test(code) || TIMEOUT_MESSAGES.test(message)) return 'timeout';
    if (LOST_CODES.test(code) || LOST_MESSAGES.test(message)) return 'lost';
    e = (e.driverError ?? e.originalError ?? e.cause) as typeof e;
  }
  return null;
}

export const isDatabaseUnavailable = (error: unknown): boolean => databaseUnavailability(error) !== null;

const requestScope = new AsyncLocalStorage<{ unavailable: Unavailability | null }>();

/** Notes an error of the request being handled; a database that cannot answer makes the whole answer a 503. */
export function noteError(error: unknown): void {
  const why = databaseUnavailability(error);
  const scope = requestScope.getStore();
  if (why && scope && scope.unavailable !== 'timeout') scope.unavailable = why;
}

export interface Overload {
  /** Counts a request in until its response closes; false (and nothing counted) when MAX_IN_FLIGHT are already in. */
  admit(res: ServerResponse): boolean;
  /** Runs the handling of one request; `unavailable` tells whether the database failed it for want of time. */
  watch<T>(work: () => Promise<T>): Promise<{ result: T; unavailable: boolean }>;
  /** Records that a request was refused for want of time (for readiness); `error` when a database error was why. */
  refused(error?: unknown): void;
  /** True while requests are being refused (recently shed or timed out). */
  overloaded(): boolean;
  readonly inFlight: number;
}

export function overload(maxInFlight: number): Overload {
  let inFlight = 0;
  let lastRefusal = -Infinity;
  return {
    admit(res) {
      if (inFlight >= maxInFlight) {
        lastRefusal = Date.now();
        return false;
      }
      inFlight++;
      res.once('close', () => inFlight--);
      return true;
    },
    async watch(work) {
      const scope: { unavailable: Unavailability | null } = { unavailable: null };
      const result = await requestScope.run(scope, work);
      // Out of time counts as overload (readiness); a lost connection is the database's own state, which readiness probes.
      if (scope.unavailable === 'timeout') lastRefusal = Date.now();
      return { result, unavailable: scope.unavailable !== null };
    },
    refused(error?: unknown) {
      if (error === undefined || databaseUnavailability(error) === 'timeout') lastRefusal = Date.now();
    },
    overloaded: () => Date.now() - lastRefusal < OVERLOADED_FOR_MS,
    get inFlight() {
      return inFlight;
    },
  };
}

/** The 503 of an API that cannot answer now: no data, and when to try again. */
export function sendUnavailable(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': String(RETRY_AFTER_SECONDS), ...headers });
  res.end(JSON.stringify({ data: null, errors: [{ message: 'The service is temporarily unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
}
