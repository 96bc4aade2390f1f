import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { sql } from '../../db/sql';
import { badUserInput } from '../../errors';
import { PageInfo, decodeCursor, pageSize, toPage } from '../pagination';
import { Address, presentAddress } from './address';
import { isValidBsn } from './bsn';
import { admittedPatient, ownPatient, patientIdArg } from './patient-lookup';
import { HumanName, Patient } from './patient.entity';

@ObjectType('PatientConnection')
class PatientConnection {
  @Field(() => [Patient], { nullable: false }) nodes: Patient[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
}

/** Patient lookups and the identity/contact fields stored on the patient row. */
@Resolver(() => Patient)
export class PatientResolver {
  @Query(() => Patient, { description: 'A patient by id, if inside the caller\'s gate.' })
  patient(@Arg('id', () => ID, { nullable: false }) id: string, @Ctx() ctx: RequestContext): Promise<Patient> {
    return admittedPatient(ctx, { id: patientIdArg(id) });
  }

  @Query(() => Patient)
  patientByNumber(@Arg('patientNumber', { nullable: false }) patientNumber: string, @Ctx() ctx: RequestContext): Promise<Patient> {
    if (!/^P-[0-9]{4,}$/.test(patientNumber)) throw badUserInput('patientNumber must look like P-0001');
    return admittedPatient(ctx, { patientNumber });
  }

  @Query(() => Patient)
  patientByBsn(@Arg('bsn', { nullable: false }) bsn: string, @Ctx() ctx: RequestContext): Promise<Patient> {
    if (!isValidBsn(bsn)) throw badUserInput('bsn is not a valid BSN (9 digits passing the 11-test)');
    return admittedPatient(ctx, { bsn });
  }

  @Query(() => Patient, { description: 'The caller\'s own record (PATIENT role).' })
  myRecord(@Ctx() ctx: RequestContext): Promise<Patient> {
    return ownPatient(ctx);
  }

  @Query(() => PatientConnection, { nullable: false, description: 'Only patients inside the caller\'s gate, by patient number.' })
  async patients(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<PatientConnection> {
    const size = pageSize(first, 20);
    const afterNumber = decodeCursor(after, /^P-[0-9]{4,}$/);
    const { text, params } = sql`SELECT p.id FROM patient p WHERE (${ctx.access.gate()})
      AND p.patient_number > ${afterNumber ?? ''} ORDER BY p.patient_number LIMIT ${size + 1}`.build();
    const ids: string[] = (await ctx.db.query(text, params)).map((r: { id: string }) => r.id);
    const rows = ids.length ? await ctx.db.getRepository(Patient).find({ where: { id: In(ids) }, order: { patientNumber: 'ASC' } }) : [];
    await ctx.access.admitSelected(rows.slice(0, size));
    return toPage(rows, size, (p) => p.patientNumber);
  }

  @FieldResolver(() => HumanName)
  name(@Root() patient: Patient): HumanName {
    return { given: patient.givenName, family: patient.familyName };
  }

  @FieldResolver(() => Address)
  address(@Root() patient: Patient): Address | null {
    return presentAddress(patient.address);
  }

  @FieldResolver(() => Address)
  nursingAddress(@Root() patient: Patient): Address | null {
    return presentAddress(patient.nursingAddress);
  }
}
