import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Record lifecycle: destruction requests decided by the privacy officer, and patient statements
 * that nobody can edit once added.
 */
export class RecordLifecycle1795371840932 implements MigrationInterface {
  name = 'RecordLifecycle1795371840932';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "destruction_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "patient_id" uuid NOT NULL, "scope" text NOT NULL, "reason" text NOT NULL, "status" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "requested_by" text NOT NULL, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_reason" text, CONSTRAINT "PK_7f447d3d509acf1bdf9f66cec34" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_31054fce05c636da0d2d8a6367" ON "destruction_request"  ("patient_id") `);
    await q.query(`ALTER TABLE "destruction_request" ADD CONSTRAINT "FK_31054fce05c636da0d2d8a63673" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE destruction_request ADD CONSTRAINT chk_destruction_request_status CHECK (status IN ('REQUESTED', 'APPROVED', 'REFUSED'))`);
    await q.query(`ALTER TABLE destruction_request ADD CONSTRAINT chk_destruction_request_decision CHECK ((status = 'REQUESTED') = (decided_at IS NULL))`);
    await q.query(`ALTER TABLE "clinical_document" ADD "submitted_by" text`);
    // A patient's statement or second opinion is theirs: it can be destroyed on request, never edited.
    await q.query(`
      CREATE FUNCTION patient_statement_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.type IN ('PATIENT_STATEMENT', 'SECOND_OPINION') THEN
          RAISE EXCEPTION 'patient statements cannot be edited';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER clinical_document_statement_immutable BEFORE UPDATE ON clinical_document FOR EACH ROW EXECUTE FUNCTION patient_statement_immutable()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER clinical_document_statement_immutable ON clinical_document`);
    await q.query(`DROP FUNCTION patient_statement_immutable()`);
    await q.query(`ALTER TABLE "clinical_document" DROP COLUMN "submitted_by"`);
    await q.query(`DROP TABLE "destruction_request"`);
  }
}
