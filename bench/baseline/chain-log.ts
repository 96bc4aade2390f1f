/**
 * The access log as it was before the Merkle tree, kept for the benchmark's comparison only: a
 * SHA-256 chain, each append linked to the tail under one advisory lock (the single-statement,
 * grouped append the API used), and the verification that walks the whole chain. Same table.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AccessEventInput, RequestMeta } from '../../src/audit/access-log';
import type { Principal } from '../../src/auth/principal';

const CHAIN_LOCK = 751302;
const GENESIS_HASH = '0'.repeat(64);
const SEQ_UNIQUE_INDEX = 'IDX_227b3397040ab97e5e8464d066';

interface Row {
  id: string; seq: string; at: Date; actorSubject: string; actorRole: string; actorOrganisation: string | null; onBehalfOf: string | null;
  purpose: string; action: string; patientId: string | null; categoriesGranted: string[]; categoriesDenied: string[]; outcome: string;
  basis: string | null; breakGlassReason: string | null; requestId: string; client: string | null; detail: string | null; prevHash: string; hash: string;
}
interface Tail { seq: bigint; hash: string }

function chainHash(prevHash: string, e: Omit<Row, 'id' | 'prevHash' | 'hash'>): string {
  const canonical = JSON.stringify([
    String(e.seq), e.at.toISOString(), e.actorSubject, e.actorRole, e.actorOrganisation, e.onBehalfOf,
    e.purpose, e.action, e.patientId, [...e.categoriesGranted], [...e.categoriesDenied], e.outcome, e.basis,
    e.breakGlassReason, e.requestId, e.client, e.detail,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

async function readTail(db: DataSource): Promise<Tail> {
  const [tail] = await db.query('SELECT seq, hash FROM access_event ORDER BY seq DESC LIMIT 1');
  return tail ? { seq: BigInt(tail.seq), hash: tail.hash } : { seq: 0n, hash: GENESIS_HASH };
}

/** The events as the links that follow `tail`. */
export function chainRows(principal: Principal, meta: RequestMeta, inputs: AccessEventInput[], tail: Tail): Row[] {
  let seq = tail.seq;
  let prevHash = tail.hash;
  const at = new Date();
  return inputs.map((input) => {
    seq += 1n;
    const content = {
      seq: seq.toString(), at, actorSubject: principal.subject, actorRole: principal.role, actorOrganisation: principal.organisation ?? null,
      onBehalfOf: input.onBehalfOf ?? null, purpose: principal.purpose, action: input.action, patientId: input.patientId,
      categoriesGranted: [...input.categoriesGranted].sort(), categoriesDenied: [...input.categoriesDenied].sort(), outcome: input.outcome,
      basis: input.basis, breakGlassReason: input.breakGlassReason ?? null, requestId: meta.requestId, client: meta.client, detail: input.detail ?? null,
    };
    const hash = chainHash(prevHash, content);
    const row = { ...content, id: randomUUID(), prevHash, hash };
    prevHash = hash;
    return row;
  });
}

/** The guarded insert: takes the chain lock and inserts only if `after` is still a link. */
export function chainInsert(rows: Row[], after?: Tail): { text: string; params: unknown[] } {
  const column = <K extends keyof Row>(key: K) => rows.map((r) => r[key]);
  const text = `INSERT INTO access_event (id, seq, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
        categories_granted, categories_denied, outcome, basis, break_glass_reason, request_id, client, detail, prev_hash, hash)
      SELECT id, seq, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
        string_to_array(granted, ','), string_to_array(denied, ','), outcome, basis, break_glass_reason, request_id, client, detail, prev_hash, hash
        FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
          $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[])
          AS e(id, seq, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
            granted, denied, outcome, basis, break_glass_reason, request_id, client, detail, prev_hash, hash)
      ${after ? `WHERE (SELECT true FROM pg_advisory_xact_lock($21))
          AND ($22::bigint = 0 OR EXISTS (SELECT 1 FROM access_event t WHERE t.seq = $22::bigint AND t.hash = $23))` : ''}
      RETURNING seq`;
  const params = [
    column('id'), column('seq'), column('at'), column('actorSubject'), column('actorRole'), column('actorOrganisation'),
    column('onBehalfOf'), column('purpose'), column('action'), column('patientId'),
    rows.map((r) => r.categoriesGranted.join(',')), rows.map((r) => r.categoriesDenied.join(',')),
    column('outcome'), column('basis'), column('breakGlassReason'), column('requestId'), column('client'), column('detail'),
    column('prevHash'), column('hash'),
    ...(after ? [CHAIN_LOCK, after.seq.toString(), after.hash] : []),
  ];
  return { text, params };
}

interface Pending { principal: Principal; meta: RequestMeta; inputs: AccessEventInput[]; resolve(): void; reject(e: unknown): void }
interface Appender { tail?: Tail; queue: Pending[]; busy: boolean }
const appenders = new WeakMap<DataSource, Appender>();

async function appendBatch(db: DataSource, appender: Appender, batch: Pending[]): Promise<void> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  for (let attempt = 0; attempt < 3; attempt++) {
    let tail = appender.tail ?? (await readTail(db));
    const start = tail;
    const rows = batch.flatMap((p) => {
      const r = chainRows(p.principal, p.meta, p.inputs, tail);
      tail = { seq: BigInt(r[r.length - 1].seq), hash: r[r.length - 1].hash };
      return r;
    });
    appender.tail = undefined;
    const { text, params } = chainInsert(rows, start);
    try {
      const written = (await pool.query({ name: 'access-event-append-after', text, values: params })).rowCount;
      if (written === rows.length) {
        appender.tail = tail;
        return;
      }
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (!(e.code === '23505' && e.constraint === SEQ_UNIQUE_INDEX)) throw error;
    }
  }
  await db.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    for (const p of batch) {
      const [t] = await m.query('SELECT seq, hash FROM access_event ORDER BY seq DESC LIMIT 1');
      const rows = chainRows(p.principal, p.meta, p.inputs, t ? { seq: BigInt(t.seq), hash: t.hash } : { seq: 0n, hash: GENESIS_HASH });
      const { text, params } = chainInsert(rows);
      await m.query(text, params);
    }
  });
}

/** The grouped chain append as the API did it: one statement per group, retried on collision. */
export function appendChained(db: DataSource, principal: Principal, meta: RequestMeta, inputs: AccessEventInput[]): Promise<void> {
  let appender = appenders.get(db);
  if (!appender) appenders.set(db, (appender = { queue: [], busy: false }));
  const a = appender;
  return new Promise((resolve, reject) => {
    a.queue.push({ principal, meta, inputs, resolve, reject });
    if (a.busy) return;
    a.busy = true;
    void (async () => {
      while (a.queue.length) {
        const batch = a.queue.splice(0, 1000);
        try {
          await appendBatch(db, a, batch);
          batch.forEach((p) => p.resolve());
        } catch (error) {
          batch.forEach((p) => p.reject(error));
        }
      }
      a.busy = false;
    })();
  });
}

/** Walks the whole chain in order, as verifyAccessLog did; returns the number of links checked. */
export async function verifyChain(db: DataSource, batchSize = 5000): Promise<{ ok: boolean; checked: number }> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  for (;;) {
    const batch: Row[] = await db.query(
      `SELECT e.id, e.seq::text AS seq, e.at, e.actor_subject AS "actorSubject", e.actor_role AS "actorRole", e.actor_organisation AS "actorOrganisation",
        e.on_behalf_of AS "onBehalfOf", e.purpose, e.action, e.patient_id AS "patientId", e.categories_granted AS "categoriesGranted",
        e.categories_denied AS "categoriesDenied", e.outcome, e.basis, e.break_glass_reason AS "breakGlassReason", e.request_id AS "requestId",
        e.client, e.detail, e.prev_hash AS "prevHash", e.hash
        FROM access_event e WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`, [expectedSeq.toString(), batchSize]);
    for (const e of batch) {
      if (BigInt(e.seq) !== expectedSeq || e.prevHash !== prevHash || chainHash(prevHash, e) !== e.hash) return { ok: false, checked };
      prevHash = e.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    if (batch.length < batchSize) return { ok: true, checked };
  }
}
