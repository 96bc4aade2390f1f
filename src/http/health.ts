/**
 * Liveness and readiness for orchestrators and load balancers. /healthz says the process serves
 * HTTP; /readyz says it can serve requests correctly: the database answers and every migration
 * this build knows has been applied, and the token keys can be used (a replica of an older or newer build must not take traffic
 * on a schema it was not written for), and it is not refusing requests for want of time.
 *
 * Readiness asks the database over a connection of its own, not the request pool: when the pool
 * is exhausted by a stalled database, /readyz still answers, 503 within READINESS_TIMEOUT_MS.
 */
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { GuardedClient } from '../db/pool-errors';

/** Longest a readiness check waits for the database. */
export const READINESS_TIMEOUT_MS = 1000;

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'database unavailable' | 'migrations pending' | 'signing keys unavailable' | 'draining' | 'overloaded';
  /** Names of migrations of this build that the database lacks. */
  pending?: string[];
}

/** One connection, beside the request pool, with short timeouts: what readiness asks the database through. */
export function readinessProbe(db: DataSource): pg.Pool {
  const options = db.options as { url?: string; extra?: { options?: string } };
  const pool = new pg.Pool({
    connectionString: options.url,
    options: options.extra?.options,
    application_name: 'patient-record-api readiness',
    max: 1,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: READINESS_TIMEOUT_MS,
    statement_timeout: READINESS_TIMEOUT_MS,
    query_timeout: READINESS_TIMEOUT_MS + 200,
    Client: GuardedClient,
  });
  pool.on('error', () => undefined); // an idle probe connection that dies is simply replaced
  return pool;
}

/**
 * Checks the database, the applied migrations against this build's list, and (when given) that the
 * token verification keys can be used: without them every request would be refused with 503.
 */
export async function readiness(db: DataSource, probe: pg.Pool, keysReady: () => Promise<void> = async () => undefined): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const table = db.options.migrationsTableName ?? 'migrations';
    const { rows } = await probe.query<{ name: string }>(`SELECT name FROM "${table}"`);
    applied = new Set(rows.map((r) => r.name));
  } catch {
    return { ready: false, status: 'database unavailable' };
  }
  const pending = db.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  if (pending.length > 0) return { ready: false, status: 'migrations pending', pending };
  try {
    await keysReady();
  } catch {
    return { ready: false, status: 'signing keys unavailable' };
  }
  return { ready: true, status: 'ready' };
}
