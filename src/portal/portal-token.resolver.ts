/**
 * The GP portal's token service (SMART-on-FHIR style narrowing): the portal's service principal
 * asks for a short-lived token for a GP or duty doctor it has authenticated, bound to one patient
 * and to a subset of that role's categories. The token is signed with the issuer key, recorded in
 * `issued_token`, and its issuance (and revocation) is an access event of the patient's log.
 * Whether the practitioner may actually see the patient is still decided on every request by
 * their own gate (registered GP, consent, block); the token can only narrow that.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { appendAccessEvents } from '../audit/access-log';
import type { RequestContext } from '../context';
import { badUserInput, internalError, notFound } from '../errors';
import { describeError, log } from '../log';
import { GATES } from '../policy/gates';
import { readableCategories } from '../policy/matrix';
import { columnOf, DataCategory, Purpose, Role } from '../policy/vocabulary';
import { AccessAction, AccessOutcome } from '../record/enums';
import { IssuedToken } from './issued-token.entity';
import { ISSUED_TOKEN_MAX_SECONDS } from './issued-tokens';
import { IssuerKeyMissing, loadIssuerKey } from './issuer-key';
import { IssuePortalTokenInput } from './portal-token.inputs';

export const DEFAULT_PORTAL_TOKEN_SECONDS = 15 * 60;
const MIN_PORTAL_TOKEN_SECONDS = 60;
const SUBJECT = /^[A-Za-z0-9._:@-]{1,128}$/;
const PATIENT_NUMBER = /^P-\d{4,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Grant {
  subject: string;
  role: Role;
  organisation: string | null;
  patientNumber: string;
  scope: DataCategory[];
  lifetimeSeconds: number;
}

/** Checks a request for a token; BAD_USER_INPUT names the first problem. */
function grantOf(input: IssuePortalTokenInput): Grant {
  const max = ISSUED_TOKEN_MAX_SECONDS[input.role];
  if (max === undefined) throw badUserInput('role must be GP or DUTY_DOCTOR');
  if (!SUBJECT.test(input.practitionerSubject)) throw badUserInput('practitionerSubject is not a valid subject');
  if (!PATIENT_NUMBER.test(input.patientNumber)) throw badUserInput('patientNumber is not a patient number (P-0001)');
  if (input.organisation !== undefined && input.organisation !== null && !SUBJECT.test(input.organisation)) {
    throw badUserInput('organisation is not a valid organisation id');
  }
  const scope = [...new Set(input.scope)];
  if (scope.length === 0) throw badUserInput('scope must name at least one category');
  const roleMay = readableCategories(columnOf(input.role, Purpose.CARE_EXCHANGE)!);
  const wider = scope.filter((c) => !roleMay.has(c));
  // Narrowing only: a scope can never add what the role may not read (SPEC §1).
  if (wider.length > 0) throw badUserInput(`scope may only narrow what ${input.role} may read; not allowed: ${wider.join(' ')}`);
  const lifetimeSeconds = input.ttlSeconds ?? DEFAULT_PORTAL_TOKEN_SECONDS;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < MIN_PORTAL_TOKEN_SECONDS || lifetimeSeconds > max) {
    throw badUserInput(`ttlSeconds must be between ${MIN_PORTAL_TOKEN_SECONDS} and ${max} for ${input.role}`);
  }
  return { subject: input.practitionerSubject, role: input.role, organisation: input.organisation ?? null, patientNumber: input.patientNumber, scope, lifetimeSeconds };
}

@Resolver()
export class PortalTokenResolver {
  @Mutation(() => IssuedToken, { nullable: false, description: 'GP portal service only: a short-lived token for a GP or duty doctor, bound to one patient and a category scope.' })
  async issuePortalToken(
    @Arg('input', () => IssuePortalTokenInput, { nullable: false }) input: IssuePortalTokenInput,
    @Ctx() ctx: RequestContext,
  ): Promise<IssuedToken> {
    const grant = grantOf(input);
    let key;
    try {
      key = await loadIssuerKey(ctx.config);
    } catch (error) {
      log.error('portal token issuance refused', { requestId: ctx.meta.requestId, ...describeError(error) });
      if (error instanceof IssuerKeyMissing) throw internalError('Token issuance is not configured on this server');
      throw error;
    }
    const jti = randomUUID();
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const expiresAt = new Date(issuedAt.getTime() + grant.lifetimeSeconds * 1000);
    const claims: Record<string, unknown> = {
      role: grant.role,
      purpose: Purpose.CARE_EXCHANGE,
      patient: grant.patientNumber,
      scope: grant.scope.join(' '),
      // RFC 8693 actor: who obtained the token for the subject.
      act: { sub: ctx.principal.subject },
    };
    if (grant.organisation) claims.org = grant.organisation;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(ctx.config.portalTokenIssuer)
      .setAudience(ctx.config.jwtAudience)
      .setSubject(grant.subject)
      .setJti(jti)
      .setIssuedAt(issuedAt.getTime() / 1000)
      .setExpirationTime(expiresAt.getTime() / 1000)
      .sign(key.privateKey);

    const issued = await ctx.db.transaction(async (manager) => {
      // The patient may not exist: the token then reaches nothing, and the portal learns nothing.
      // Which patient the number names, whatever the (closed) gate of the portal service: record_locate says only that.
      const [patient] = await manager.query(`SELECT record_locate('patientNumber', $1) AS id`, [grant.patientNumber]) as Array<{ id: string | null }>;
      const row = manager.create(IssuedToken, {
        jti, subject: grant.subject, role: grant.role, organisation: grant.organisation, patientNumber: grant.patientNumber,
        patientId: patient?.id ?? null, scope: grant.scope, issuedAt, expiresAt, issuedBy: ctx.principal.subject,
        issuedByOrganisation: ctx.principal.organisation ?? null, requestId: ctx.meta.requestId, revokedAt: null, revokedBy: null,
      });
      await manager.insert(IssuedToken, row);
      await appendAccessEvents(manager, ctx.principal, ctx.meta, [{
        patientId: row.patientId,
        action: AccessAction.CREATE,
        categoriesGranted: [],
        categoriesDenied: [],
        outcome: AccessOutcome.GRANTED,
        basis: GATES.GP_PORTAL.basis,
        onBehalfOf: grant.subject,
        detail: `portal token ${jti} issued to ${grant.role} ${grant.subject} for ${grant.patientNumber}, scope ${grant.scope.join(' ')}, until ${expiresAt.toISOString()}`,
      }]);
      return row;
    });
    issued.token = token;
    return issued;
  }

  @Mutation(() => IssuedToken, { nullable: false, description: 'GP portal service only: revokes a token it issued; the token is refused from the next request on.' })
  async revokeIssuedToken(@Arg('jti', () => ID, { nullable: false }) jti: string, @Ctx() ctx: RequestContext): Promise<IssuedToken> {
    if (!UUID.test(jti)) throw badUserInput('jti is not a token id');
    const issuer = ctx.principal;
    return ctx.db.transaction(async (manager) => {
      // A service revokes what its own organisation (or, without one, itself) issued; anything else is not found.
      const query = manager.getRepository(IssuedToken).createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.jti = :jti', { jti: jti.toLowerCase() });
      if (issuer.organisation) query.andWhere('t.issuedByOrganisation = :org', { org: issuer.organisation });
      else query.andWhere('t.issuedBy = :by', { by: issuer.subject });
      const row = await query.getOne();
      if (!row) throw notFound('Issued token');
      if (row.revokedAt) return row;
      row.revokedAt = new Date();
      row.revokedBy = issuer.subject;
      await manager.update(IssuedToken, { jti: row.jti }, { revokedAt: row.revokedAt, revokedBy: row.revokedBy });
      // Also on the API-wide jti deny-list (src/auth/revocation.ts), checked for every token on every request.
      await manager.query(
        `INSERT INTO revoked_token (jti, revoked_by, revoked_by_role, reason, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (jti) DO NOTHING`,
        [row.jti, issuer.subject, issuer.role, 'revoked by the GP portal service', row.expiresAt],
      );
      await appendAccessEvents(manager, issuer, ctx.meta, [{
        patientId: row.patientId,
        action: AccessAction.UPDATE,
        categoriesGranted: [],
        categoriesDenied: [],
        outcome: AccessOutcome.GRANTED,
        basis: GATES.GP_PORTAL.basis,
        onBehalfOf: row.subject,
        detail: `portal token ${row.jti} revoked`,
      }]);
      return row;
    });
  }
}
