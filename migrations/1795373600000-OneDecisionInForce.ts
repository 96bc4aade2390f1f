import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One decision in force at a time, enforced by the database (the writers also serialise, see
 * src/db/serialised.ts): per patient and channel one consent in force and, for a child of 12–15,
 * one pending decision per party; per patient and kind one active objection. Duplicates left by
 * earlier concurrent writes are withdrawn first, keeping what the gate would now follow: the
 * latest consent decision (a refusal wins a tie) and the first objection lodged.
 */
export class OneDecisionInForce1795373600000 implements MigrationInterface {
  name = 'OneDecisionInForce1795373600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE consent c SET withdrawn_at = now() FROM (
        SELECT id, row_number() OVER (PARTITION BY patient_id, channel, (confirmed_at IS NULL), CASE WHEN confirmed_at IS NULL THEN decided_by_role END
                                      ORDER BY decided_at DESC, granted ASC, id) AS rank
          FROM consent WHERE withdrawn_at IS NULL
      ) ranked WHERE ranked.id = c.id AND ranked.rank > 1`);
    await q.query(`UPDATE objection o SET withdrawn_at = now(), withdrawn_by = 'duplicate of an earlier active objection' FROM (
        SELECT id, row_number() OVER (PARTITION BY patient_id, kind ORDER BY lodged_at, id) AS rank FROM objection WHERE withdrawn_at IS NULL
      ) ranked WHERE ranked.id = o.id AND ranked.rank > 1`);
    await q.query('CREATE UNIQUE INDEX consent_one_in_force ON consent (patient_id, channel) WHERE confirmed_at IS NOT NULL AND withdrawn_at IS NULL');
    await q.query('CREATE UNIQUE INDEX consent_one_pending_per_party ON consent (patient_id, channel, decided_by_role) WHERE confirmed_at IS NULL AND withdrawn_at IS NULL');
    await q.query('CREATE UNIQUE INDEX objection_one_active ON objection (patient_id, kind) WHERE withdrawn_at IS NULL');
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX objection_one_active');
    await q.query('DROP INDEX consent_one_pending_per_party');
    await q.query('DROP INDEX consent_one_in_force');
  }
}
