import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput } from '../../errors';
import { admittedPatient } from '../../policy/door';
import { GATES } from '../../policy/gates';
import { AccessAction } from '../enums';
import { Patient } from '../patient/patient.entity';
import { BreakGlassSession } from './break-glass-session.entity';

export const BREAK_GLASS_DEFAULT_MINUTES = 60;
export const BREAK_GLASS_MAX_MINUTES = 240;
export const BREAK_GLASS_MIN_REASON = 10;

/**
 * Break-the-glass: a clinician acting for EMERGENCY opens time-limited access to a patient
 * without a care relationship, with a written reason. Opening it is itself logged, and every
 * access under it carries the reason for the privacy officer's review.
 */
const minutesArg = { nullable: true, description: `Lifetime, default ${BREAK_GLASS_DEFAULT_MINUTES}, at most ${BREAK_GLASS_MAX_MINUTES}.` } as const;

/** Opens the session for the patient the door admitted (the token's patient binding applies, not the gate it opens). */
function openSession(ctx: RequestContext, patient: Patient, reason: string, minutes?: number | null): Promise<BreakGlassSession> {
  const why = reason.trim();
  if (why.length < BREAK_GLASS_MIN_REASON) throw badUserInput(`reason must be at least ${BREAK_GLASS_MIN_REASON} characters`);
  const lifetime = minutes ?? BREAK_GLASS_DEFAULT_MINUTES;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > BREAK_GLASS_MAX_MINUTES) {
    throw badUserInput(`minutes must be between 1 and ${BREAK_GLASS_MAX_MINUTES}`);
  }
  return recordedWrite(ctx, async (manager) => {
    const openedAt = new Date();
    const session = await manager.save(manager.create(BreakGlassSession, {
      patientId: patient.id, clinicianSubject: ctx.principal.subject, reason: why,
      openedAt, expiresAt: new Date(openedAt.getTime() + lifetime * 60_000),
    }));
    return {
      result: session,
      event: { patientId: patient.id, action: AccessAction.BREAK_GLASS, categories: [], detail: `break-the-glass opened for ${lifetime} min`, breakGlassReason: why, basis: GATES.CLIN_EMERGENCY.basis },
    };
  });
}

@Resolver()
export class BreakGlassResolver {
  @Mutation(() => BreakGlassSession, { nullable: false })
  breakGlass(
    @Arg('patientId', () => ID, { nullable: false }) _patientId: string,
    @Arg('reason', { nullable: false }) reason: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('minutes', () => Int, minutesArg) minutes?: number | null,
  ): Promise<BreakGlassSession> {
    return openSession(ctx, admittedPatient(info), reason, minutes);
  }

  @Mutation(() => BreakGlassSession, { nullable: false, description: 'Break-the-glass by patient number, as on a wristband or referral letter.' })
  breakGlassByPatientNumber(
    @Arg('patientNumber', { nullable: false }) _patientNumber: string,
    @Arg('reason', { nullable: false }) reason: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('minutes', () => Int, minutesArg) minutes?: number | null,
  ): Promise<BreakGlassSession> {
    return openSession(ctx, admittedPatient(info), reason, minutes);
  }
}
