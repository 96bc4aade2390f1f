/**
 * How the access-log plugin appends a read's events: without a transaction of its own, and
 * together with whatever other requests of this process are appending at the same moment.
 *
 * An append is one INSERT that takes no lock (`seq` comes from a sequence; tree positions are
 * given at the next checkpoint), so replicas never wait for each other. Requests arriving while a
 * statement is in flight wait for it and then go out together in the next one (group commit),
 * each resolved only once its own events are committed — fail closed exactly as before.
 */
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { countStatement } from '../db/statement-counter';
import type { Principal } from '../auth/principal';
import type { AccessEvent } from './access-event.entity';
import { AccessEventInput, RequestMeta, assignSeqs, eventRows, insertStatement } from './access-log';

interface Pending {
  principal: Principal;
  meta: RequestMeta;
  inputs: AccessEventInput[];
  resolve(rows: AccessEvent[]): void;
  reject(error: unknown): void;
}

interface Appender {
  queue: Pending[];
  busy: boolean;
}

/** Events per statement; more wait for the next one. */
const MAX_EVENTS_PER_STATEMENT = 1000;
const appenders = new WeakMap<DataSource, Appender>();

function appenderOf(db: DataSource): Appender {
  let appender = appenders.get(db);
  if (!appender) appenders.set(db, (appender = { queue: [], busy: false }));
  return appender;
}

/**
 * Sends the insert as a named prepared statement straight to the connection pool: every read
 * pays for it, and TypeORM's query path plus planning the statement afresh cost more than the
 * insert itself.
 */
async function insertRows(db: DataSource, rows: AccessEvent[]): Promise<void> {
  const { text, params } = insertStatement(rows);
  const pool = (db.driver as unknown as { master: Pool }).master;
  countStatement();
  const result = await pool.query({ name: 'access-event-append', text, values: params });
  if (result.rowCount !== rows.length) throw new Error(`access log append wrote ${result.rowCount} of ${rows.length} events`);
  assignSeqs(rows, result.rows);
}

/** Appends the events of several requests, in order, in one statement; returns each request's rows. */
async function appendBatch(db: DataSource, batch: Pending[]): Promise<AccessEvent[][]> {
  const perRequest = batch.map((p) => eventRows(p.principal, p.meta, p.inputs));
  await insertRows(db, perRequest.flat());
  return perRequest;
}

async function drain(db: DataSource, appender: Appender): Promise<void> {
  appender.busy = true;
  try {
    while (appender.queue.length > 0) {
      let events = 0;
      let n = 0;
      while (n < appender.queue.length && (n === 0 || events + appender.queue[n].inputs.length <= MAX_EVENTS_PER_STATEMENT)) {
        events += appender.queue[n].inputs.length;
        n += 1;
      }
      const batch = appender.queue.splice(0, n);
      try {
        const rows = await appendBatch(db, batch);
        batch.forEach((p, k) => p.resolve(rows[k]));
      } catch (error) {
        batch.forEach((p) => p.reject(error));
      }
    }
  } finally {
    appender.busy = false;
  }
}

/** Appends a request's events and resolves once they are committed (rejects if they cannot be). */
export function appendAccessEventsGrouped(db: DataSource, principal: Principal, meta: RequestMeta, inputs: AccessEventInput[]): Promise<AccessEvent[]> {
  if (inputs.length === 0) return Promise.resolve([]);
  const appender = appenderOf(db);
  return new Promise((resolve, reject) => {
    appender.queue.push({ principal, meta, inputs, resolve, reject });
    if (!appender.busy) void drain(db, appender);
  });
}
