/**
 * The `jti` deny-list (table `revoked_token`): a revoked token is refused with 401 from the very
 * next request, on every replica, because each request looks its `jti` up in PostgreSQL — there
 * is no cache that could outlive a revocation. The privacy officer may revoke any token id;
 * anybody else only the token they are using (log out).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { AuthenticationError } from '../errors';
import type { Principal } from './principal';
import type { TokenVerifier } from './tokens';

export interface RevokedToken {
  jti: string;
  revokedAt: Date;
  revokedBy: string;
  reason: string;
}

/** Whether a token id is on the deny-list. Throws when the database cannot say (fail closed). */
export async function isRevoked(db: DataSource, jti: string): Promise<boolean> {
  const rows: unknown[] = await db.query('SELECT 1 FROM revoked_token WHERE jti = $1', [jti]);
  return rows.length > 0;
}

/** Puts a token id on the deny-list (idempotent: a second revocation keeps the first record). */
export async function revokeToken(db: DataSource | EntityManager, by: Principal, jti: string, reason: string): Promise<RevokedToken> {
  // The expiry is known only for the caller's own token; it lets a clean-up drop the row later.
  const expiresAt = jti === by.tokenId ? by.expiresAt : null;
  await db.query(
    `INSERT INTO revoked_token (jti, revoked_by, revoked_by_role, reason, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (jti) DO NOTHING`,
    [jti, by.subject, by.role, reason, expiresAt],
  );
  const [row] = await db.query('SELECT jti, revoked_at, revoked_by, reason FROM revoked_token WHERE jti = $1', [jti]);
  return { jti: row.jti, revokedAt: new Date(row.revoked_at), revokedBy: row.revoked_by, reason: row.reason };
}

/** A verifier that also refuses tokens on the deny-list. */
export function withRevocationCheck(verifier: TokenVerifier, db: DataSource): TokenVerifier {
  return {
    keysReady: () => verifier.keysReady(),
    async verify(authorizationHeader) {
      const principal = await verifier.verify(authorizationHeader);
      if (await isRevoked(db, principal.tokenId)) throw new AuthenticationError('token revoked', 'revoked');
      return principal;
    },
  };
}
