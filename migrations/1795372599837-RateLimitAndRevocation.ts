import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hardening: the `jti` deny-list of revoked tokens, and the per-subject request
 * counters of the PostgreSQL-backed rate limiter (columns as rate-limiter-flexible expects them).
 */
export class RateLimitAndRevocation1795372599837 implements MigrationInterface {
  name = 'RateLimitAndRevocation1795372599837';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE revoked_token (
      jti text PRIMARY KEY CHECK (length(jti) BETWEEN 1 AND 200),
      revoked_at timestamptz NOT NULL DEFAULT now(),
      revoked_by text NOT NULL,
      revoked_by_role text NOT NULL,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
      expires_at timestamptz
    )`);
    await q.query(`CREATE TABLE rate_limit (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limit');
    await q.query('DROP TABLE revoked_token');
  }
}
