/**
 * The hospital-scale seed (`npm run seed:large`): generated patients 1…N on top of the demo
 * directory, in batches. Each batch — patients, their whole record and their access history — is
 * one transaction, so an interrupted run leaves only whole batches behind; a re-run skips the
 * patients already present and continues with the next one. Patient i depends only on the seed and i.
 */
import type { Client } from 'pg';
import { appendDrafts, draftEvents, relationsOf } from './access-events';
import { MAX_LARGE_PATIENTS, PATIENT_NUMBER_OFFSET } from './large-patients';
import { patientSelect, recordStatements } from './record-tables';
import { prepareSession } from './session';

export interface LargeSeedOptions {
  /** Generated patients wanted in total (patients 1…N). */
  patients: number;
  /** The seed: the same seed always gives the same patients and records. */
  seed: number;
  /** Patients per transaction. */
  batchSize?: number;
  /** Called before the first batch and after each one. */
  onProgress?: (progress: LargeSeedProgress) => void;
}

export interface LargeSeedProgress {
  total: number;
  /** Patients 1…done are present (generated now or before). */
  done: number;
  inserted: number;
  events: number;
}

export interface LargeSeedResult extends LargeSeedProgress {
  skipped: number;
  seconds: number;
}

const numberOf = (i: number) => `P-${PATIENT_NUMBER_OFFSET + i}`;

/** Refuses to extend a database whose generated patients came from another seed. */
async function checkSameSeed(client: Client, seed: number): Promise<void> {
  const { rows: [present] } = await client.query('SELECT bsn FROM patient WHERE patient_number = $1', [numberOf(1)]);
  if (!present) return;
  const { rows: [expected] } = await client.query(`SELECT s.bsn FROM (${patientSelect(seed)}) s`, [1, 1]);
  if (expected.bsn !== present.bsn) {
    throw new Error(`this database holds generated patients from another seed; use that seed or reset the database (npm run db:reset)`);
  }
}

/** Generates (or completes) patients 1…N and their records on the connection. */
export async function seedLarge(client: Client, options: LargeSeedOptions): Promise<LargeSeedResult> {
  const { patients: total, seed } = options;
  const batchSize = options.batchSize ?? 2000;
  if (!Number.isInteger(total) || total < 1 || total > MAX_LARGE_PATIENTS) throw new Error(`--patients must be between 1 and ${MAX_LARGE_PATIENTS}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('the batch size must be a positive integer');
  const started = Date.now();
  await prepareSession(client);
  await checkSameSeed(client, seed);
  const statements = recordStatements(seed);
  const progress: LargeSeedProgress = { total, done: 0, inserted: 0, events: 0 };
  let skipped = 0;
  options.onProgress?.(progress);

  for (let lo = 1; lo <= total; lo += batchSize) {
    const hi = Math.min(total, lo + batchSize - 1);
    // Earlier runs leave whole batches, so what is present is always a prefix lo…lo+n-1 (a smaller
    // --patients may have ended a batch early); the rest of the range is generated now.
    const { rows: [{ n, last }] } = await client.query(
      'SELECT count(*)::int AS n, max(patient_number) AS last FROM patient WHERE patient_number BETWEEN $1 AND $2', [numberOf(lo), numberOf(hi)]);
    if (n > 0 && last !== numberOf(lo + n - 1)) {
      throw new Error(`patients ${numberOf(lo)}…${numberOf(hi)} are only partly present; they were not made by this seed`);
    }
    skipped += n;
    if (lo + n <= hi) {
      await client.query('BEGIN');
      try {
        for (const statement of statements) await client.query(statement.text, [lo + n, hi]);
        const drafts = (await relationsOf(client, lo + n, hi)).flatMap((p) => draftEvents(seed, p));
        progress.events += await appendDrafts(client, drafts);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      progress.inserted += hi - lo - n + 1;
    }
    progress.done = hi;
    options.onProgress?.(progress);
  }
  // Fresh statistics, or the planner keeps the plans of the small demo database.
  if (progress.inserted > 0) await client.query('ANALYZE');
  return { ...progress, skipped, seconds: (Date.now() - started) / 1000 };
}
