/**
 * Decisions that must not interleave. A check-then-insert ("is there an active objection? no →
 * insert one") is only correct when no other transaction runs the same check at the same time:
 * under READ COMMITTED two of them both see "none" and both insert. Each such write therefore
 * takes a transaction-scoped advisory lock on what it decides about (e.g. patient + channel)
 * before it checks, and a partial unique index in the database refuses what slips through
 * anyway (another writer, a bug); that refusal reaches the client as BAD_USER_INPUT.
 */
import type { EntityManager } from 'typeorm';
import { badUserInput } from '../errors';

/**
 * Waits until no other transaction decides about `subject` (e.g. 'consent', patientId, channel)
 * and holds that until this transaction ends. Call it first in the transaction, before reading.
 */
export async function serialiseDecisionsOn(manager: EntityManager, ...subject: string[]): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error('serialiseDecisionsOn needs a transaction');
  // A 64-bit hash of the key: a collision only makes two unrelated decisions wait for each other.
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [subject.join('\u001f')]);
}

/** True when `error` is PostgreSQL refusing a row by the unique index `index`. */
export function violatesUnique(error: unknown, index: string): boolean {
  const pg = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const cause = pg?.driverError ?? pg;
  return cause?.code === '23505' && cause.constraint === index;
}

/**
 * Runs a write; if one of `indexes` (index name → message) refuses a row, the transaction has
 * rolled back (nothing is written, nothing logged) and the client gets BAD_USER_INPUT.
 */
export async function refusingDuplicates<T>(write: () => Promise<T>, indexes: Record<string, string>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const index = Object.keys(indexes).find((name) => violatesUnique(error, name));
    if (index) throw badUserInput(indexes[index]);
    throw error;
  }
}
