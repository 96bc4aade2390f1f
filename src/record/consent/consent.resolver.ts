import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import { EntityManager, IsNull, Not } from 'typeorm';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { serialiseDecisionsOn, refusingDuplicates } from '../../db/serialised';
import { badUserInput, forbidden } from '../../errors';
import { admittedPatient } from '../../policy/door';
import { AccessAction, DataCategory, Role } from '../enums';
import { Patient } from '../patient/patient.entity';
import { ConsentAuthority, ageOn, consentAuthority, otherPartyRole } from './consent-rules';
import { Consent } from './consent.entity';
import { LodgeObjectionInput, SetConsentInput } from './consent.inputs';
import { Objection } from './objection.entity';

const RELATION = /^[A-Z][A-Z_]{1,39}$/;

/** The database's one-in-force indexes on consent; the lock in decide() keeps them from firing. */
const CONSENT_INDEXES = {
  consent_one_in_force: 'another decision on this channel was recorded at the same moment; try again',
  consent_one_pending_per_party: 'another decision on this channel was recorded at the same moment; try again',
};

/** Withdraws every decision on the channel that is still in force or pending, except `keep`. */
async function supersede(manager: EntityManager, patientId: string, channel: string, now: Date, keepId?: string) {
  await manager.query(
    `UPDATE consent SET withdrawn_at = $3 WHERE patient_id = $1 AND channel = $2 AND withdrawn_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)`,
    [patientId, channel, now, keepId ?? null],
  );
}

/** Consents and objections: read by the matrix's CONSENTS column, written by patient, representative and administration. */
@Resolver(() => Patient)
export class ConsentResolver {
  @FieldResolver(() => [Consent], { nullable: true })
  consents(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Consent[]> {
    return ctx.loaders.rowsOf(Consent, { decidedAt: 'DESC', id: 'ASC' }, p.id);
  }

  @FieldResolver(() => [Objection], { nullable: true })
  objections(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Objection[]> {
    return ctx.loaders.rowsOf(Objection, { lodgedAt: 'DESC', id: 'ASC' }, p.id);
  }

  @Mutation(() => Consent, { nullable: false })
  async setConsent(@Arg('input', { nullable: false }) input: SetConsentInput, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Consent> {
    const patient = admittedPatient(info);
    const authority = consentAuthority(ctx.principal, ageOn(patient.birthDate), input.granted, input.coDecidedBy);
    return refusingDuplicates(() => recordedWrite(ctx, async (manager) => {
      const { consent, detail, action } = await this.decide(manager, ctx, patient, input, authority);
      return { result: consent, event: { patientId: patient.id, action, categories: [DataCategory.CONSENTS], detail } };
    }), CONSENT_INDEXES);
  }

  /**
   * Records one decision. Decisions of one patient and channel are serialised (the lock below)
   * and the database keeps one in force (migration OneDecisionInForce), so "the latest decision"
   * is the one that took effect last: confirmedAt, taken under the lock, follows that order. A
   * grant that would take effect in the same millisecond as the refusal in force (or earlier, by
   * the clock of a replica that is behind) is a tie, and the refusal wins: the grant is recorded,
   * withdrawn at once, and the refusal stays in force (docs/concurrency.md).
   */
  private async decide(manager: EntityManager, ctx: RequestContext, patient: Patient, input: SetConsentInput, authority: ConsentAuthority) {
    await serialiseDecisionsOn(manager, 'consent', patient.id, input.channel);
    const what = `consent ${input.channel} ${input.granted ? 'granted' : 'refused'}`;
    const current = await manager.findOne(Consent, { where: { patientId: patient.id, channel: input.channel, confirmedAt: Not(IsNull()), withdrawnAt: IsNull() } });
    let now = new Date();
    if (current?.confirmedAt && current.confirmedAt.getTime() >= now.getTime()) {
      now = current.confirmedAt; // never earlier than the decision it follows
      if (input.granted && !current.granted) {
        const consent = await manager.save(manager.create(Consent, {
          patientId: patient.id, channel: input.channel, granted: true, decidedAt: now, decidedBy: ctx.principal.subject, decidedByRole: ctx.principal.role,
          coDecidedBy: input.coDecidedBy?.trim() || null, confirmedAt: null, withdrawnAt: now,
        }));
        return { consent, detail: `${what} (not in force: a refusal took effect at the same moment)`, action: AccessAction.CREATE };
      }
    }
    if (authority.kind === 'party') {
      // The other party's pending decision with the same content is confirmed by this one.
      const pending = await manager.findOne(Consent, {
        where: { patientId: patient.id, channel: input.channel, granted: input.granted, confirmedAt: IsNull(), withdrawnAt: IsNull(), decidedByRole: otherPartyRole(authority.party) },
        order: { decidedAt: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      if (pending) {
        await supersede(manager, patient.id, input.channel, now, pending.id);
        pending.coDecidedBy = ctx.principal.subject;
        pending.confirmedAt = now;
        await manager.save(pending);
        return { consent: pending, detail: `${what} (confirmed by both parties)`, action: AccessAction.UPDATE };
      }
      // Only this party's earlier pending decision is replaced; a consent in force stays until both agree on a new one.
      await manager.query(
        `UPDATE consent SET withdrawn_at = $3 WHERE patient_id = $1 AND channel = $2 AND confirmed_at IS NULL AND withdrawn_at IS NULL AND decided_by_role = $4`,
        [patient.id, input.channel, now, ctx.principal.role],
      );
      const consent = await manager.save(manager.create(Consent, {
        patientId: patient.id, channel: input.channel, granted: input.granted, decidedAt: now,
        decidedBy: ctx.principal.subject, decidedByRole: ctx.principal.role, coDecidedBy: null, confirmedAt: null, withdrawnAt: null,
      }));
      return { consent, detail: `${what} (awaiting the other party)`, action: AccessAction.CREATE };
    }
    await supersede(manager, patient.id, input.channel, now);
    const consent = await manager.save(manager.create(Consent, {
      patientId: patient.id, channel: input.channel, granted: input.granted, decidedAt: now,
      decidedBy: ctx.principal.subject, decidedByRole: ctx.principal.role,
      coDecidedBy: input.coDecidedBy?.trim() || null, confirmedAt: now, withdrawnAt: null,
    }));
    return { consent, detail: ctx.principal.role === Role.ADMIN_STAFF ? `${what} (paper form)` : what, action: AccessAction.CREATE };
  }

  /**
   * Objections follow the consent rules ([001]): lodging one restricts sharing, so it is a refusal
   * (the child of 12–15 or the parent alone; under 12 the parent); anyone but the patient gives
   * the evidence of their authority, and only the patient lodges as SELF.
   */
  @Mutation(() => Objection, { nullable: false })
  async lodgeObjection(@Arg('input', { nullable: false }) input: LodgeObjectionInput, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Objection> {
    const relation = input.lodgedByRelation.trim().toUpperCase();
    if (!RELATION.test(relation)) throw badUserInput('lodgedByRelation must be a word such as SELF, PARTNER or LEGAL_REPRESENTATIVE');
    const byPatient = ctx.principal.role === Role.PATIENT;
    if (byPatient && relation !== 'SELF') throw badUserInput('a patient lodges an objection as SELF');
    if (ctx.principal.role === Role.LEGAL_REPRESENTATIVE && relation === 'SELF') throw badUserInput('a representative lodges an objection under their own relation, e.g. LEGAL_REPRESENTATIVE');
    if (!byPatient && !input.evidenceRef?.trim()) throw badUserInput('an objection lodged by anyone but the patient needs evidenceRef');
    const patient = admittedPatient(info);
    consentAuthority(ctx.principal, ageOn(patient.birthDate), false);
    const duplicate = `an active ${input.kind} objection is already on file`;
    return refusingDuplicates(() => recordedWrite(ctx, async (manager) => {
      await serialiseDecisionsOn(manager, 'objection', patient.id, input.kind);
      const active = await manager.findOne(Objection, { where: { patientId: patient.id, kind: input.kind, withdrawnAt: IsNull() } });
      if (active) throw badUserInput(duplicate);
      const objection = await manager.save(manager.create(Objection, {
        patientId: patient.id, kind: input.kind, lodgedAt: new Date(), lodgedBy: ctx.principal.subject,
        lodgedByRelation: relation, evidenceRef: input.evidenceRef?.trim() || null, withdrawnAt: null, withdrawnBy: null,
      }));
      return { result: objection, event: { patientId: patient.id, action: AccessAction.CREATE, categories: [DataCategory.CONSENTS], detail: `objection ${input.kind} lodged` } };
    }), { objection_one_active: duplicate });
  }

  /**
   * Withdrawing an objection opens sharing again, so it follows the rules for granting: for a
   * child of 12–15 a decision needs both parties, hence neither withdraws the other's objection
   * alone (each may withdraw their own); under 12 the parent decides.
   */
  @Mutation(() => Objection, { nullable: false })
  async withdrawObjection(@Arg('id', () => ID, { nullable: false }) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Objection> {
    const patient = admittedPatient(info);
    const authority = consentAuthority(ctx.principal, ageOn(patient.birthDate), true);
    return recordedWrite(ctx, async (manager) => {
      const objection = await manager.findOne(Objection, { where: { id: id.toLowerCase(), patientId: patient.id }, lock: { mode: 'pessimistic_write' } });
      if (!objection || objection.withdrawnAt) throw badUserInput('the objection is not active');
      if (authority.kind === 'party' && objection.lodgedBy !== ctx.principal.subject) {
        throw forbidden('for a patient of 12–15 an objection lodged by the other party is withdrawn by that party');
      }
      objection.withdrawnAt = new Date();
      objection.withdrawnBy = ctx.principal.subject;
      await manager.save(objection);
      return { result: objection, event: { patientId: patient.id, action: AccessAction.UPDATE, categories: [DataCategory.CONSENTS], detail: `objection ${objection.kind} withdrawn` } };
    });
  }
}
