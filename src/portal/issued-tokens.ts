/**
 * Presenting a token this API issued for the GP portal. It is told apart from the IdP's tokens by
 * its issuer (PORTAL_TOKEN_ISSUER), verified with the issuer key, and valid only while its row in
 * `issued_token` exists, matches it and is not revoked: a revocation through any API process
 * counts on the very next request to any other (the row lives in PostgreSQL, nothing is cached).
 */
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { DataSource } from 'typeorm';
import { DUTY_DOCTOR_MAX_LIFETIME_SECONDS, joseRefusal } from '../auth/tokens';
import type { Config } from '../config';
import { AuthenticationError } from '../errors';
import { Role } from '../policy/vocabulary';
import { IssuerKeyMissing, loadIssuerKey } from './issuer-key';

/** Longest life of a token issued for a GP; a duty doctor's may live 12 h (SPEC §4). */
export const GP_PORTAL_TOKEN_MAX_SECONDS = 15 * 60;

/** The longest lifetime of an issued token, per role. */
export const ISSUED_TOKEN_MAX_SECONDS: Partial<Record<Role, number>> = {
  [Role.GP]: GP_PORTAL_TOKEN_MAX_SECONDS,
  [Role.DUTY_DOCTOR]: DUTY_DOCTOR_MAX_LIFETIME_SECONDS,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IssuedTokenCheck {
  /** Whether a JWT names our portal issuer (read unverified: it only picks the verification path). */
  isIssuedToken(jwt: string): boolean;
  /** The claims of a valid, unrevoked issued token; AuthenticationError otherwise. */
  verify(jwt: string): Promise<JWTPayload>;
}

/** Verification of issued tokens against the issuer key and the `issued_token` table. */
export function issuedTokenCheck(config: Config, db: DataSource): IssuedTokenCheck {
  return {
    isIssuedToken(jwt) {
      try {
        return decodeJwt(jwt).iss === config.portalTokenIssuer;
      } catch {
        return false;
      }
    },
    async verify(jwt) {
      let key;
      try {
        key = await loadIssuerKey(config);
      } catch (error) {
        if (error instanceof IssuerKeyMissing) throw new AuthenticationError('issued tokens are not accepted without an issuer key', 'issuer');
        throw error;
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(jwt, key.publicKey, {
          algorithms: [key.alg],
          issuer: config.portalTokenIssuer,
          audience: config.jwtAudience,
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['exp', 'iat', 'sub', 'jti', 'role', 'patient', 'scope'],
        }));
      } catch (error) {
        throw joseRefusal(error);
      }
      const max = ISSUED_TOKEN_MAX_SECONDS[payload.role as Role];
      if (max === undefined) throw new AuthenticationError('issued token for a role that cannot have one');
      if ((payload.exp as number) - (payload.iat as number) > max) throw new AuthenticationError('issued token lives too long');
      if (typeof payload.jti !== 'string' || !UUID.test(payload.jti)) throw new AuthenticationError('issued token without a valid jti');
      const [row] = await db.query(
        'SELECT subject, role, patient_number, revoked_at FROM issued_token WHERE jti = $1',
        [payload.jti],
      ) as Array<{ subject: string; role: string; patient_number: string; revoked_at: Date | null }>;
      if (!row) throw new AuthenticationError('issued token unknown');
      if (row.revoked_at) throw new AuthenticationError('token revoked', 'revoked');
      if (row.subject !== payload.sub || row.role !== payload.role || row.patient_number !== payload.patient) {
        throw new AuthenticationError('issued token does not match its record');
      }
      return payload;
    },
  };
}
