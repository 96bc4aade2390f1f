/**
 * Writing and verifying the access log (SPEC §5, NEN 7513). Appends take a transaction-scoped
 * advisory lock so concurrent writers, in one process or many, extend one gap-free chain.
 */
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AccessAction, AccessOutcome, DataCategory } from '../record/enums';
import { AccessEvent } from './access-event.entity';
import { ChainedContent, GENESIS_HASH, chainHash } from './chain';

/** Advisory lock serialising appends to the chain (also taken by bulk loaders such as the large seed). */
export const CHAIN_LOCK = 751302;

/** What a request knows about one access; who and when are added by the writer. */
export interface AccessEventInput {
  patientId: string | null;
  action: AccessAction;
  categoriesGranted: DataCategory[];
  categoriesDenied: DataCategory[];
  outcome: AccessOutcome;
  basis: string | null;
  breakGlassReason?: string | null;
  detail?: string | null;
  /** The person a service acted for (e.g. the GP a portal token was issued to). */
  onBehalfOf?: string | null;
}

export interface RequestMeta {
  requestId: string;
  client: string | null;
}

/** The last link of the chain. */
export interface ChainTail {
  seq: bigint;
  hash: string;
}

/** The chain's current last link (genesis when the log is empty). */
export async function readTail(manager: EntityManager): Promise<ChainTail> {
  const [tail] = await manager.query('SELECT seq, hash FROM access_event ORDER BY seq DESC LIMIT 1');
  return tail ? { seq: BigInt(tail.seq), hash: tail.hash } : { seq: 0n, hash: GENESIS_HASH };
}

/** The events as the links that follow `tail` (nothing is written). */
export function chainRows(principal: Principal, meta: RequestMeta, inputs: AccessEventInput[], tail: ChainTail): AccessEvent[] {
  let seq = tail.seq;
  let prevHash = tail.hash;
  const at = new Date();
  return inputs.map((input) => {
    seq += 1n;
    const content: ChainedContent = {
      seq: seq.toString(),
      at,
      actorSubject: principal.subject,
      actorRole: principal.role,
      actorOrganisation: principal.organisation ?? null,
      onBehalfOf: input.onBehalfOf ?? null,
      purpose: principal.purpose,
      action: input.action,
      patientId: input.patientId,
      categoriesGranted: [...input.categoriesGranted].sort(),
      categoriesDenied: [...input.categoriesDenied].sort(),
      outcome: input.outcome,
      basis: input.basis,
      breakGlassReason: input.breakGlassReason ?? null,
      requestId: meta.requestId,
      client: meta.client,
      detail: input.detail ?? null,
    };
    const hash = chainHash(prevHash, content);
    // A plain instance: TypeORM's create() walks the entity metadata for every row.
    const row = Object.assign(new AccessEvent(), content, { id: randomUUID(), prevHash, hash });
    prevHash = hash;
    return row;
  });
}

/** Appends events to the chain inside the caller's transaction (the manager must be transactional). */
export async function appendAccessEvents(
  manager: EntityManager,
  principal: Principal,
  meta: RequestMeta,
  inputs: AccessEventInput[],
): Promise<AccessEvent[]> {
  if (inputs.length === 0) return [];
  if (!manager.queryRunner?.isTransactionActive) throw new Error('access events must be written inside a transaction');
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
  const rows = chainRows(principal, meta, inputs, await readTail(manager));
  await insertEvents(manager, rows);
  return rows;
}

/**
 * One INSERT … SELECT FROM unnest with one array per column: a page of 50 patients writes 50
 * events in a single statement of 20 parameters (TypeORM's insert builds one parameter per
 * value and handles them in quadratic time). Category lists travel comma-joined.
 *
 * With `after`, the statement stands alone (no transaction around it): it takes the chain lock
 * itself and inserts only if `after` is still a link of the chain (rows are append-only, so it
 * exists with that hash); the unique index on seq refuses the rows if anybody has taken the next
 * position meanwhile. RETURNING tells how many rows were written (none when `after` is no longer the tail).
 */
export function insertStatement(rows: AccessEvent[], after?: ChainTail): { text: string; params: unknown[] } {
  const column = <K extends keyof AccessEvent>(key: K) => rows.map((r) => r[key]);
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

/** Runs insertStatement through the manager; returns the number of rows written. */
export async function insertEvents(manager: EntityManager, rows: AccessEvent[], after?: ChainTail): Promise<number> {
  const { text, params } = insertStatement(rows, after);
  return ((await manager.query(text, params)) as unknown[]).length;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
}

/** Walks the whole chain in order and reports the first entry whose link or content does not hold. */
export async function verifyAccessLogChain(db: DataSource | EntityManager, batchSize = 5000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  for (;;) {
    const batch: AccessEvent[] = await db.getRepository(AccessEvent)
      .createQueryBuilder('e')
      .where('e.seq >= :from', { from: expectedSeq.toString() })
      .orderBy('e.seq', 'ASC')
      .limit(batchSize)
      .getMany();
    for (const e of batch) {
      const content: ChainedContent = { ...e, seq: String(e.seq) };
      if (BigInt(e.seq) !== expectedSeq || e.prevHash !== prevHash || chainHash(prevHash, content) !== e.hash) {
        return { ok: false, checked, firstBrokenEventId: e.id };
      }
      prevHash = e.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    if (batch.length < batchSize) return { ok: true, checked, firstBrokenEventId: null };
  }
}
