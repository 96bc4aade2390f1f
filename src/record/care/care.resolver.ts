import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { Patient } from '../patient/patient.entity';
import { Practitioner } from '../practitioner/practitioner.entity';
import { RelatedPerson } from './related-person.entity';

/** Who is around the patient: contacts and representatives, the registered GP, the care team. */
@Resolver(() => Patient)
export class CareResolver {
  @FieldResolver(() => [RelatedPerson], { nullable: true })
  contacts(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<RelatedPerson[]> {
    return ctx.loaders.rowsOf(RelatedPerson, { name: 'ASC' }, patient.id);
  }

  @FieldResolver(() => Practitioner)
  async generalPractitioner(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<Practitioner | null> {
    const [gp] = await ctx.db.query(
      `SELECT pr.* FROM gp_registration g JOIN practitioner pr ON pr.id = g.practitioner_id
        WHERE g.patient_id = $1 AND g.valid_from <= now() AND (g.valid_to IS NULL OR g.valid_to > now())
        ORDER BY g.valid_from DESC LIMIT 1`,
      [patient.id],
    );
    return gp ? ctx.db.getRepository(Practitioner).create({ id: gp.id, subject: gp.subject, name: gp.name, role: gp.role, organisation: gp.organisation }) : null;
  }

  @FieldResolver(() => [Practitioner], { nullable: true })
  careTeam(@Root() patient: Patient, @Ctx() ctx: RequestContext): Promise<Practitioner[]> {
    return ctx.db.getRepository(Practitioner).query(
      `SELECT DISTINCT pr.id, pr.subject, pr.name, pr.role, pr.organisation FROM care_relationship cr
         JOIN practitioner pr ON pr.id = cr.practitioner_id
        WHERE cr.patient_id = $1 AND cr.valid_from <= now() AND (cr.valid_to IS NULL OR cr.valid_to > now())
        ORDER BY pr.name`,
      [patient.id],
    );
  }
}
