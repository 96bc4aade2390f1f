/**
 * How the access-log plugin appends a read's events: without a transaction of its own, and
 * together with whatever other requests of this process are appending at the same moment.
 *
 * appendAccessEvents in a transaction costs five round trips (BEGIN, lock, read the tail, insert,
 * COMMIT) while holding the chain lock, so concurrent requests queue on it. Here one statement
 * does it all (insertStatement with `after`, prepared once per connection): it takes the lock,
 * links to the tail this process last wrote and inserts only if that is still the tail. Requests arriving while a statement is in
 * flight wait for it and then go out together in the next one (group commit), each resolved only
 * once its own events are committed — fail closed exactly as before. When another process or a
 * mutation has appended in between, nothing is written; the tail is read again and the append
 * retried, and after repeated collisions it falls back to appendAccessEvents in a transaction.
 */
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { countStatement } from '../db/statement-counter';
import type { Principal } from '../auth/principal';
import type { AccessEvent } from './access-event.entity';
import { AccessEventInput, ChainTail, RequestMeta, appendAccessEvents, chainRows, insertStatement, readTail } from './access-log';

interface Pending {
  principal: Principal;
  meta: RequestMeta;
  inputs: AccessEventInput[];
  resolve(rows: AccessEvent[]): void;
  reject(error: unknown): void;
}

interface Appender {
  /** The last link this process wrote: a hint that the database checks on every use. */
  tail?: ChainTail;
  queue: Pending[];
  busy: boolean;
}

const SEQ_UNIQUE_INDEX = 'IDX_227b3397040ab97e5e8464d066';
/** Events per statement; more wait for the next one. */
const MAX_EVENTS_PER_STATEMENT = 1000;
const appenders = new WeakMap<DataSource, Appender>();

function appenderOf(db: DataSource): Appender {
  let appender = appenders.get(db);
  if (!appender) appenders.set(db, (appender = { queue: [], busy: false }));
  return appender;
}

/** Somebody else took the next position: the unique index on seq refused the rows (pg's error). */
const isSeqCollision = (error: unknown) => {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === SEQ_UNIQUE_INDEX;
};

/**
 * Sends the guarded insert as a named prepared statement straight to the connection pool: every
 * read pays for it, and TypeORM's query path plus planning the statement afresh cost more than
 * the insert itself (about 1.5 ms against 0.8 ms).
 */
async function insertAfter(db: DataSource, rows: AccessEvent[], after: ChainTail): Promise<number> {
  const { text, params } = insertStatement(rows, after);
  const pool = (db.driver as unknown as { master: Pool }).master;
  countStatement();
  return (await pool.query({ name: 'access-event-append-after', text, values: params })).rowCount ?? 0;
}

/** Appends the events of several requests, in order, as one run of the chain; returns each request's rows. */
async function appendBatch(db: DataSource, appender: Appender, batch: Pending[]): Promise<AccessEvent[][]> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let tail = appender.tail ?? (await readTail(db.manager));
    const start = tail;
    const perRequest = batch.map((p) => {
      const rows = chainRows(p.principal, p.meta, p.inputs, tail);
      const last = rows[rows.length - 1];
      tail = { seq: BigInt(last.seq), hash: last.hash };
      return rows;
    });
    const rows = perRequest.flat();
    appender.tail = undefined;
    let written: number;
    try {
      written = await insertAfter(db, rows, start);
    } catch (error) {
      if (isSeqCollision(error)) continue;
      throw error;
    }
    if (written === rows.length) {
      appender.tail = tail;
      return perRequest;
    }
  }
  return db.transaction(async (manager) => {
    const perRequest: AccessEvent[][] = [];
    for (const p of batch) perRequest.push(await appendAccessEvents(manager, p.principal, p.meta, p.inputs));
    return perRequest;
  });
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
        const rows = await appendBatch(db, appender, batch);
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
