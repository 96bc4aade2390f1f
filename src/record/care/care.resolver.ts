import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { Patient } from '../patient/patient.entity';
import { Practitioner } from '../practitioner/practitioner.entity';
import { RelatedPerson } from './related-person.entity';

type PractitionerRow = Practitioner & { patient_id: string };

/** Practitioners related to the request's patients through a dated relation, batched per request. */
async function practitionersBy(ctx: RequestContext, relationTable: 'gp_registration' | 'care_relationship', patientIds: string[]) {
  const rows: PractitionerRow[] = await ctx.db.query(
    `SELECT r.patient_id, pr.id, pr.subject, pr.name, pr.role, pr.organisation FROM ${relationTable} r
       JOIN practitioner pr ON pr.id = r.practitioner_id
      WHERE r.patient_id = ANY($1::uuid[]) AND r.valid_from <= now() AND (r.valid_to IS NULL OR r.valid_to > now())
      ORDER BY r.patient_id, r.valid_from DESC, pr.name`,
    [patientIds],
  );
  const byPatient = new Map<string, Practitioner[]>();
  for (const { patient_id, ...p } of rows) {
    const list = byPatient.get(patient_id) ?? [];
    if (!list.some((q) => q.id === p.id)) list.push(p as Practitioner);
    byPatient.set(patient_id, list);
  }
  return byPatient;
}

/** Who is around the patient: contacts and representatives, the registered GP, the care team. */
@Resolver(() => Patient)
export class CareResolver {
  @FieldResolver(() => [RelatedPerson], { nullable: true })
  contacts(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<RelatedPerson[]> {
    return ctx.loaders.rowsOf(RelatedPerson, { name: 'ASC' }, patient.id);
  }

  @FieldResolver(() => Practitioner)
  async generalPractitioner(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<Practitioner | null> {
    const gps = await ctx.loaders.keyed('currentGp', (ids) => practitionersBy(ctx, 'gp_registration', ids), [], patient.id);
    return gps[0] ?? null;
  }

  @FieldResolver(() => [Practitioner], { nullable: true })
  careTeam(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<Practitioner[]> {
    return ctx.loaders.keyed('careTeam', (ids) => practitionersBy(ctx, 'care_relationship', ids), [], patient.id);
  }
}
