/**
 * Bearer token → Principal. Everything a token may claim is checked here, before any resolver
 * runs, so the policy layer can trust the Principal it receives (SPEC §1, CONTRACT "Tokens").
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { Config } from '../config';
import { AuthenticationError, type TokenRefusal } from '../errors';
import { columnOf, DataCategory, Purpose, Role } from '../policy/vocabulary';
import { DEFAULT_CLIENT, GP_PORTAL_CLIENT } from '../policy/trusted-clients';
import type { IssuedTokenCheck } from '../portal/issued-tokens';
import { applyClaimMapping } from './claim-mapping';
import { isSmartScope, parseSmartScopes } from './smart-scopes';
import { loadVerificationKey, type VerificationKey } from './keys';
import type { Principal } from './principal';

/** Only asymmetric signatures: `none` and HS* (a shared secret anyone could mint with) are refused. */
export const ALLOWED_ALGORITHMS = ['ES256', 'RS256'];

/** Longest lifetime of an out-of-hours duty doctor's token (SPEC §4). */
export const DUTY_DOCTOR_MAX_LIFETIME_SECONDS = 12 * 60 * 60;

const PATIENT_NUMBER = /^P-\d+$/;
const ROLES = new Set<string>(Object.values(Role));
const PURPOSES = new Set<string>(Object.values(Purpose));
const CATEGORIES = new Set<string>(Object.values(DataCategory));

export interface TokenVerifier {
  /** The principal of a valid `Bearer <jwt>` header; AuthenticationError otherwise. */
  verify(authorizationHeader: string | undefined): Promise<Principal>;
  /** Resolves when the verification keys are usable now (for /readyz); throws why not. */
  keysReady(): Promise<void>;
}

/**
 * A verifier bound to the configured issuer, audience and key (the key is loaded once). The IdP's
 * claims pass through CLAIM_MAPPING when one is configured; tokens this API issued for the GP
 * portal (told apart by their issuer) are checked by `issuedTokens` instead.
 */
export function createTokenVerifier(config: Config, extra: { issuedTokens?: IssuedTokenCheck } = {}): TokenVerifier {
  let key: Promise<VerificationKey> | undefined;
  const options: JWTVerifyOptions = {
    algorithms: ALLOWED_ALGORITHMS,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  };

  function currentKey(): Promise<VerificationKey> {
    if (!key) {
      key = loadVerificationKey(config);
      // A failed load (unreadable key file) must not stay cached for the life of the process.
      key.catch(() => (key = undefined));
    }
    return key;
  }

  async function verifySignature(jwt: string): Promise<JWTPayload> {
    const resolved = await currentKey();
    try {
      const result =
        typeof resolved === 'function' ? await jwtVerify(jwt, resolved, options) : await jwtVerify(jwt, resolved, options);
      return result.payload;
    } catch (error) {
      throw joseRefusal(error);
    }
  }

  return {
    async keysReady() {
      const resolved = await currentKey();
      // A remote key set past its cache age is fetched again now, as the next token would.
      if (typeof resolved === 'function' && !resolved.fresh) await resolved.reload();
    },
    async verify(authorizationHeader) {
      const jwt = bearerToken(authorizationHeader);
      if (extra.issuedTokens?.isIssuedToken(jwt)) {
        return principalFromClaims(await extra.issuedTokens.verify(jwt), config.clockToleranceSeconds, GP_PORTAL_CLIENT);
      }
      const verified = await verifySignature(jwt);
      const payload = config.claimMapping ? applyClaimMapping(verified, config.claimMapping) : verified;
      return principalFromClaims(payload, config.clockToleranceSeconds);
    },
  };
}

function bearerToken(header: string | undefined): string {
  if (!header) throw new AuthenticationError('missing Authorization header', 'missing');
  // Another scheme (Basic, a bare JWT) is no bearer token at all: RFC 6750 §3.1 names no error for it.
  if (!/^Bearer\s/i.test(header)) throw new AuthenticationError('Authorization header is not a Bearer token', 'missing');
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i.exec(header);
  if (!match) throw new AuthenticationError('Authorization header is not "Bearer <jwt>"', 'malformed');
  return match[1];
}

/** A jose failure as a refusal: a short reason and its class; never the token's contents. */
export function joseRefusal(error: unknown): AuthenticationError {
  const refuse = (reason: string, refusal: TokenRefusal) => new AuthenticationError(reason, refusal);
  if (error instanceof errors.JWTExpired) return refuse('token expired', 'expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return refuse('token not yet valid', 'not yet valid');
    if (error.claim === 'iss' && error.reason !== 'missing') return refuse('invalid claim "iss"', 'issuer');
    if (error.claim === 'aud' && error.reason !== 'missing') return refuse('invalid claim "aud"', 'audience');
    if (error.reason === 'missing') return refuse(`missing claim "${error.claim}"`, 'claims');
    return refuse(`invalid claim "${error.claim}"`, 'claims');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse('signature algorithm not allowed', 'signature');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('signature invalid', 'signature');
  if (error instanceof errors.JWKSNoMatchingKey) return refuse('no matching signing key', 'signature');
  if (error instanceof errors.JWKSTimeout) return refuse('signing keys unavailable', 'signature');
  if (error instanceof errors.JOSEError) return refuse('malformed or unverifiable token', 'malformed');
  // Anything else (a key of the wrong type for the header's alg, bad base64 …) is still a bad token.
  return refuse('unverifiable token', 'malformed');
}

/** Checks what jose does not know about: our claims and their combinations. */
function principalFromClaims(claims: JWTPayload, toleranceSeconds: number, issuedFor?: string): Principal {
  const sub = nonEmptyString(claims.sub, 'sub');
  const jti = nonEmptyString(claims.jti, 'jti');
  const iat = claims.iat as number;
  const exp = claims.exp as number;
  const now = Math.floor(Date.now() / 1000);
  if (iat > now + toleranceSeconds) throw new AuthenticationError('token issued in the future', 'not yet valid');
  if (iat > exp) throw new AuthenticationError('token issued after it expires');

  const roleClaim = nonEmptyString(claims.role, 'role');
  const purposeClaim = nonEmptyString(claims.purpose, 'purpose');
  if (!ROLES.has(roleClaim)) throw new AuthenticationError('unknown role');
  if (!PURPOSES.has(purposeClaim)) throw new AuthenticationError('unknown purpose');
  const role = roleClaim as Role;
  const purpose = purposeClaim as Purpose;
  const column = columnOf(role, purpose);
  if (!column) throw new AuthenticationError('role may not act for this purpose');

  let org: string | undefined;
  if (claims.org !== undefined) {
    if (typeof claims.org !== 'string') throw new AuthenticationError('invalid claim "org"');
    org = claims.org;
  }

  let patient: string | undefined;
  if (claims.patient !== undefined) {
    if (typeof claims.patient !== 'string' || !PATIENT_NUMBER.test(claims.patient)) {
      throw new AuthenticationError('invalid claim "patient"');
    }
    patient = claims.patient;
  }

  const { scope, writeScope } = claims.scope === undefined ? {} : parseScope(claims.scope, patient !== undefined);

  if (role === Role.DUTY_DOCTOR) {
    if (!patient) throw new AuthenticationError('duty doctor token not bound to a patient');
    if (exp - iat > DUTY_DOCTOR_MAX_LIFETIME_SECONDS) throw new AuthenticationError('duty doctor token lives longer than 12 hours');
  }
  if (role === Role.PATIENT && patient !== undefined && patient !== sub) {
    throw new AuthenticationError('patient token bound to another patient');
  }

  return {
    subject: sub,
    role,
    purpose,
    column,
    organisation: org,
    boundPatientNumber: patient,
    scope,
    writeScope,
    client: issuedFor ?? clientOf(claims, role),
    tokenId: jti,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
  };
}

function nonEmptyString(value: unknown, claim: string): string {
  if (value === undefined) throw new AuthenticationError(`missing claim "${claim}"`);
  if (typeof value !== 'string' || value === '') throw new AuthenticationError(`invalid claim "${claim}"`);
  return value;
}

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client the token names (`azp`, then `client_id`), else the one the role uses. */
function clientOf(claims: JWTPayload, role: Role): string {
  const named = claims.azp ?? claims.client_id;
  if (named === undefined) return DEFAULT_CLIENT[role];
  if (typeof named !== 'string' || !CLIENT_ID.test(named)) throw new AuthenticationError('invalid claim "azp"/"client_id"');
  return named;
}

// Scope only narrows the role, so an unknown or empty scope is refused rather than ignored:
// ignoring it would silently widen the token to the whole role. A scope is either category names
// or SMART on FHIR scopes (mapped through policy/fhir-resources.ts), never a mixture.
function parseScope(value: unknown, boundToPatient: boolean): { scope: ReadonlySet<DataCategory>; writeScope?: ReadonlySet<DataCategory> } {
  if (typeof value !== 'string' || value.trim() === '') throw new AuthenticationError('invalid claim "scope"');
  if (isSmartScope(value)) {
    const grant = parseSmartScopes(value, boundToPatient);
    return { scope: grant.read, writeScope: grant.write };
  }
  const names = value.trim().split(/\s+/);
  for (const name of names) {
    if (!CATEGORIES.has(name)) throw new AuthenticationError('unknown category in scope');
  }
  return { scope: new Set(names as DataCategory[]) };
}
