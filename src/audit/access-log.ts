/**
 * Writing and verifying the access log (SPEC §5, NEN 7513). Appends take a transaction-scoped
 * advisory lock so concurrent writers, in one process or many, extend one gap-free chain.
 */
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AccessAction, AccessOutcome, DataCategory } from '../record/enums';
import { AccessEvent } from './access-event.entity';
import { ChainedContent, GENESIS_HASH, chainHash } from './chain';

const CHAIN_LOCK = 751302;

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
}

export interface RequestMeta {
  requestId: string;
  client: string | null;
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
  const [tail] = await manager.query('SELECT seq, hash FROM access_event ORDER BY seq DESC LIMIT 1');
  let seq = tail ? BigInt(tail.seq) : 0n;
  let prevHash: string = tail ? tail.hash : GENESIS_HASH;
  const at = new Date();
  const rows = inputs.map((input) => {
    seq += 1n;
    const content: ChainedContent = {
      seq: seq.toString(),
      at,
      actorSubject: principal.subject,
      actorRole: principal.role,
      actorOrganisation: principal.organisation ?? null,
      onBehalfOf: null,
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
    const row = manager.create(AccessEvent, { ...content, prevHash, hash } as Partial<AccessEvent>);
    prevHash = hash;
    return row;
  });
  await manager.insert(AccessEvent, rows);
  return rows;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
}

/** Walks the whole chain in order and reports the first entry whose link or content does not hold. */
export async function verifyAccessLogChain(db: DataSource, batchSize = 5000): Promise<ChainVerification> {
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
