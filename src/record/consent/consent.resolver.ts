import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { EntityManager, IsNull } from 'typeorm';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput, forbidden, notFound } from '../../errors';
import { AccessAction, DataCategory, Role } from '../enums';
import { admittedPatient, patientIdArg } from '../patient/patient-lookup';
import { Patient } from '../patient/patient.entity';
import { ConsentAuthority, ageOn, consentAuthority, otherPartyRole } from './consent-rules';
import { Consent } from './consent.entity';
import { LodgeObjectionInput, SetConsentInput } from './consent.inputs';
import { Objection } from './objection.entity';

const RELATION = /^[A-Z][A-Z_]{1,39}$/;

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
  async setConsent(@Arg('input', { nullable: false }) input: SetConsentInput, @Ctx() ctx: RequestContext): Promise<Consent> {
    const patient = await this.writablePatient(ctx, input.patientId);
    const authority = consentAuthority(ctx.principal, ageOn(patient.birthDate), input.granted, input.coDecidedBy);
    return recordedWrite(ctx, async (manager) => {
      const { consent, detail, action } = await this.decide(manager, ctx, patient, input, authority);
      return { result: consent, event: { patientId: patient.id, action, categories: [DataCategory.CONSENTS], detail } };
    });
  }

  private async decide(manager: EntityManager, ctx: RequestContext, patient: Patient, input: SetConsentInput, authority: ConsentAuthority) {
    const now = new Date();
    const what = `consent ${input.channel} ${input.granted ? 'granted' : 'refused'}`;
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

  @Mutation(() => Objection, { nullable: false })
  async lodgeObjection(@Arg('input', { nullable: false }) input: LodgeObjectionInput, @Ctx() ctx: RequestContext): Promise<Objection> {
    const relation = input.lodgedByRelation.trim().toUpperCase();
    if (!RELATION.test(relation)) throw badUserInput('lodgedByRelation must be a word such as SELF, PARTNER or LEGAL_REPRESENTATIVE');
    if (ctx.principal.role === Role.PATIENT && relation !== 'SELF') throw badUserInput('a patient lodges an objection as SELF');
    if (relation !== 'SELF' && !input.evidenceRef?.trim()) throw badUserInput('an objection lodged for someone else needs evidenceRef');
    const patient = await this.writablePatient(ctx, input.patientId);
    return recordedWrite(ctx, async (manager) => {
      const active = await manager.findOne(Objection, { where: { patientId: patient.id, kind: input.kind, withdrawnAt: IsNull() } });
      if (active) throw badUserInput(`an active ${input.kind} objection is already on file`);
      const objection = await manager.save(manager.create(Objection, {
        patientId: patient.id, kind: input.kind, lodgedAt: new Date(), lodgedBy: ctx.principal.subject,
        lodgedByRelation: relation, evidenceRef: input.evidenceRef?.trim() || null, withdrawnAt: null, withdrawnBy: null,
      }));
      return { result: objection, event: { patientId: patient.id, action: AccessAction.CREATE, categories: [DataCategory.CONSENTS], detail: `objection ${input.kind} lodged` } };
    });
  }

  @Mutation(() => Objection, { nullable: false })
  async withdrawObjection(@Arg('id', () => ID, { nullable: false }) id: string, @Ctx() ctx: RequestContext): Promise<Objection> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw badUserInput('id is not a valid objection id');
    const found = await ctx.db.getRepository(Objection).findOneBy({ id });
    if (!found) throw notFound('Objection');
    const patient = await this.writablePatient(ctx, found.patientId).catch(() => {
      throw notFound('Objection');
    });
    return recordedWrite(ctx, async (manager) => {
      const objection = await manager.findOne(Objection, { where: { id, patientId: patient.id }, lock: { mode: 'pessimistic_write' } });
      if (!objection || objection.withdrawnAt) throw badUserInput('the objection is not active');
      objection.withdrawnAt = new Date();
      objection.withdrawnBy = ctx.principal.subject;
      await manager.save(objection);
      return { result: objection, event: { patientId: patient.id, action: AccessAction.UPDATE, categories: [DataCategory.CONSENTS], detail: `objection ${objection.kind} withdrawn` } };
    });
  }

  /** The patient, through the gate, provided this principal may write CONSENTS for them. */
  private async writablePatient(ctx: RequestContext, patientId: string): Promise<Patient> {
    const patient = await admittedPatient(ctx, { id: patientIdArg(patientId) });
    if (!ctx.access.mayWrite(patient.id, DataCategory.CONSENTS)) throw forbidden();
    return patient;
  }
}
