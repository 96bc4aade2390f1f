/**
 * Writing the access log (SPEC §5, NEN 7513). An append is one INSERT and takes no lock: `seq`
 * comes from a sequence, and the tree positions that make the log verifiable are given later by
 * the checkpointer (tlog/checkpointer.ts), in one batch per checkpoint.
 */
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import { log } from '../log';
import { AccessAction, AccessOutcome, DataCategory } from '../record/enums';
import { AccessEvent } from './access-event.entity';
import { CheckpointError } from './tlog/checkpoint';
import { CheckpointBusy, CheckpointRefused, checkpointNow, checkpointSigner } from './tlog/checkpointer';
import { rootHash } from './tlog/merkle';
import { publishedNote } from './tlog/published';
import { eventsNamed, storedCheckpoint, storedLeaves, withStoredNodes } from './tlog/tree-store';
import { parallelLeafHasher } from './tlog/parallel-hashing';
import { EventSource, LogProblem, LogVerification, verifyPublishedLog } from './tlog/verify';
import { verifyInOnePass } from './tlog/verify-in-one-pass';
import { withEventsBySeq } from './tlog/event-stream';

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

/** The events as rows to insert (nothing is written; `seq` is the database's). */
export function eventRows(principal: Principal, meta: RequestMeta, inputs: AccessEventInput[]): AccessEvent[] {
  const at = new Date();
  // Plain instances: TypeORM's create() walks the entity metadata for every row.
  return inputs.map((input) => Object.assign(new AccessEvent(), {
    id: randomUUID(),
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
    prevHash: null,
    hash: null,
  }));
}

/** Appends events inside the caller's transaction (the manager must be transactional). */
export async function appendAccessEvents(
  manager: EntityManager,
  principal: Principal,
  meta: RequestMeta,
  inputs: AccessEventInput[],
): Promise<AccessEvent[]> {
  if (inputs.length === 0) return [];
  if (!manager.queryRunner?.isTransactionActive) throw new Error('access events must be written inside a transaction');
  const rows = eventRows(principal, meta, inputs);
  await insertEvents(manager, rows);
  return rows;
}

/**
 * One INSERT … SELECT FROM unnest with one array per column: a page of 50 patients writes 50
 * events in a single statement of 18 parameters (TypeORM's insert builds one parameter per
 * value and handles them in quadratic time). Category lists travel comma-joined. `seq` is taken
 * from the sequence in the order of the rows.
 */
export function insertStatement(rows: AccessEvent[]): { text: string; params: unknown[] } {
  const column = <K extends keyof AccessEvent>(key: K) => rows.map((r) => r[key]);
  const text = `INSERT INTO access_event (id, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
        categories_granted, categories_denied, outcome, basis, break_glass_reason, request_id, client, detail)
      SELECT id, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
        string_to_array(granted, ','), string_to_array(denied, ','), outcome, basis, break_glass_reason, request_id, client, detail
        FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
          $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) WITH ORDINALITY
          AS e(id, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
            granted, denied, outcome, basis, break_glass_reason, request_id, client, detail, n)
        ORDER BY n
      RETURNING id, seq`;
  const params = [
      column('id'), column('at'), column('actorSubject'), column('actorRole'), column('actorOrganisation'),
      column('onBehalfOf'), column('purpose'), column('action'), column('patientId'),
      rows.map((r) => r.categoriesGranted.join(',')), rows.map((r) => r.categoriesDenied.join(',')),
      column('outcome'), column('basis'), column('breakGlassReason'), column('requestId'), column('client'), column('detail'),
  ];
  return { text, params };
}

/** Gives the rows the seq the database assigned them. */
export function assignSeqs(rows: AccessEvent[], returned: Array<{ id: string; seq: string }>): void {
  const seqs = new Map(returned.map((r) => [r.id, String(r.seq)]));
  for (const row of rows) row.seq = seqs.get(row.id)!;
}

/** Runs insertStatement through the manager; returns the number of rows written. */
export async function insertEvents(manager: EntityManager, rows: AccessEvent[]): Promise<number> {
  const { text, params } = insertStatement(rows);
  const returned = (await manager.query(text, params)) as Array<{ id: string; seq: string }>;
  assignSeqs(rows, returned);
  return returned.length;
}

export interface AccessLogVerification extends LogVerification {
  /** Events written after the newest published checkpoint, not yet covered by it. */
  pending: number;
}

/**
 * Checks the log as stored against the published checkpoints: a checkpoint is made first (so
 * everything written until now is covered), then every event is checked against the leaf its
 * checkpoint signed, and the stored tree against the newest signed root.
 */
export async function verifyAccessLog(db: DataSource, config: Config): Promise<AccessLogVerification> {
  try {
    await checkpointNow(db, config);
  } catch (error) {
    // A tampered store is refused by the checkpointer (the verification below says where); a busy
    // checkpointer leaves the newest events pending.
    if (!(error instanceof CheckpointRefused || error instanceof CheckpointError || error instanceof CheckpointBusy)) throw error;
    log.warn('access log checkpoint refused before verification', { reason: error.message });
  }
  const signer = checkpointSigner(config);
  const source: EventSource = {
    events: (leaves) => eventsNamed(db, leaves.map((l) => l.eventId), leaves.map((l) => l.seq)),
  };
  const dir = config.accessLogCheckpointDir;
  const url = (db.options as { url?: string }).url;
  // One pass over every event says whether all holds; only when something does not is the log
  // walked leaf by leaf (events looked up by id, hashed in worker threads) to name the first problem.
  const quick = url ? await withEventsBySeq(url, config.databaseSchema, (events) => verifyInOnePass(dir, signer.verifierKey, events)) : undefined;
  let result: LogVerification;
  if (quick) result = quick;
  else {
    const hasher = parallelLeafHasher(url, config.databaseSchema);
    try {
      result = await verifyPublishedLog(dir, signer.verifierKey, { ...source, hasher });
    } finally {
      await hasher?.close();
    }
  }
  const [{ n }] = await db.query('SELECT count(*)::bigint AS n FROM access_event');
  const pending = Math.max(0, Number(n) - result.treeSize);
  if (!result.ok || result.treeSize === 0) return { ...result, pending };
  // The events are as signed; is the stored tree (which proofs are made from) the signed one too?
  const stored = await storedCheckpoint(db, result.treeSize);
  const root = await withStoredNodes(db, (node) => rootHash(result.treeSize, node)).catch(() => undefined);
  if (stored && stored.note === publishedNote(dir, result.treeSize) && root?.equals(stored.root)) return { ...result, pending };
  // It is not: walk it leaf by leaf to name where it departs.
  result = await verifyPublishedLog(dir, signer.verifierKey, { ...source, storedLeaves: (from, to) => storedLeaves(db, from, to) });
  if (result.ok) result = { ...result, ok: false, checked: result.treeSize, problem: LogProblem.TREE_REWRITTEN };
  return { ...result, pending };
}