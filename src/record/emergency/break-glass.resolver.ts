import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput, notFound } from '../../errors';
import { GATES } from '../../policy/gates';
import { AccessAction } from '../enums';
import { patientIdArg } from '../patient/patient-lookup';
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
@Resolver()
export class BreakGlassResolver {
  @Mutation(() => BreakGlassSession, { nullable: false })
  async breakGlass(
    @Arg('patientId', () => ID, { nullable: false }) patientId: string,
    @Arg('reason', { nullable: false }) reason: string,
    @Ctx() ctx: RequestContext,
    @Arg('minutes', () => Int, { nullable: true, description: `Lifetime, default ${BREAK_GLASS_DEFAULT_MINUTES}, at most ${BREAK_GLASS_MAX_MINUTES}.` }) minutes?: number | null,
  ): Promise<BreakGlassSession> {
    const why = reason.trim();
    if (why.length < BREAK_GLASS_MIN_REASON) throw badUserInput(`reason must be at least ${BREAK_GLASS_MIN_REASON} characters`);
    const lifetime = minutes ?? BREAK_GLASS_DEFAULT_MINUTES;
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > BREAK_GLASS_MAX_MINUTES) {
      throw badUserInput(`minutes must be between 1 and ${BREAK_GLASS_MAX_MINUTES}`);
    }
    const patient = await ctx.db.getRepository(Patient).findOneBy({ id: patientIdArg(patientId) });
    if (!patient) {
      ctx.recorder.refused(null, 'break-the-glass for an unknown patient');
      throw notFound();
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
}
