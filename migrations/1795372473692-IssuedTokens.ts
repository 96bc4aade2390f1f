import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tokens issued through the GP portal service (src/portal): one row per token, so a token is
 * valid only while its row exists and is not revoked, and every issuance can be accounted for.
 */
export class IssuedTokens1795372473692 implements MigrationInterface {
  name = 'IssuedTokens1795372473692';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "issued_token" ("jti" uuid NOT NULL, "subject" text NOT NULL, "role" text NOT NULL, "organisation" text, "patient_number" text NOT NULL, "patient_id" uuid, "scope" text array NOT NULL, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "issued_by" text NOT NULL, "issued_by_organisation" text, "request_id" text NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" text, CONSTRAINT "PK_b43bcd77b1a788713edc7c3fa5e" PRIMARY KEY ("jti"))`);
    await q.query(`CREATE INDEX "IDX_40a4f740a3e143711e55b4be6f" ON "issued_token"  ("expires_at") `);
    // Only the external viewers of SPEC §1 get such tokens, never longer than their role allows.
    await q.query(`ALTER TABLE issued_token ADD CONSTRAINT chk_issued_token_role CHECK (role IN ('GP', 'DUTY_DOCTOR'))`);
    await q.query(`ALTER TABLE issued_token ADD CONSTRAINT chk_issued_token_lifetime CHECK (expires_at > issued_at AND expires_at - issued_at <= CASE WHEN role = 'GP' THEN interval '15 minutes' ELSE interval '12 hours' END)`);
    await q.query(`ALTER TABLE issued_token ADD CONSTRAINT chk_issued_token_scope CHECK (cardinality(scope) > 0)`);
    await q.query(`ALTER TABLE issued_token ADD CONSTRAINT chk_issued_token_revocation CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "issued_token"`);
  }
}
