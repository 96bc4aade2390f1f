import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Info, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { readRows } from '../../db/entity-rows';
import { admittedPatient, releaseListed } from '../../policy/door';
import { PageInfo, decodeCursor, pageSize, toPage } from '../pagination';
import { Address, presentAddress } from './address';
import { HumanName, Patient } from './patient.entity';

@ObjectType('PatientConnection')
class PatientConnection {
  @Field(() => [Patient], { nullable: false }) nodes: Patient[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
}

/** Patient lookups and the identity/contact fields stored on the patient row. */
@Resolver(() => Patient)
export class PatientResolver {
  // The door (policy/door.ts) validates the key, looks the patient up and applies the gate in one statement.
  @Query(() => Patient, { description: 'A patient by id, if inside the caller\'s gate.' })
  patient(@Arg('id', () => ID, { nullable: false }) _id: string, @Info() info: GraphQLResolveInfo): Patient {
    return admittedPatient(info);
  }

  @Query(() => Patient)
  patientByNumber(@Arg('patientNumber', { nullable: false }) _patientNumber: string, @Info() info: GraphQLResolveInfo): Patient {
    return admittedPatient(info);
  }

  @Query(() => Patient)
  patientByBsn(@Arg('bsn', { nullable: false }) _bsn: string, @Info() info: GraphQLResolveInfo): Patient {
    return admittedPatient(info);
  }

  @Query(() => Patient, { description: 'The caller\'s own record (PATIENT role).' })
  myRecord(@Info() info: GraphQLResolveInfo): Patient {
    return admittedPatient(info);
  }

  @Query(() => PatientConnection, { nullable: false, description: 'Only patients inside the caller\'s gate, by patient number.' })
  async patients(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<PatientConnection> {
    const size = pageSize(first, 20);
    const afterNumber = decodeCursor(after, /^P-[0-9]{4,}$/);
    const ids = await ctx.access.gatePage(afterNumber ?? '', size + 1);
    const rows = ids.length ? await readRows(ctx.db, Patient, { id: In(ids) }, { patientNumber: 'ASC' }) : [];
    await releaseListed(ctx, info, rows.slice(0, size));
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
