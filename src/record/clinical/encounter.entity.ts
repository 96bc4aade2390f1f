import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { EncounterKind } from '../enums';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** An admission, outpatient appointment or emergency visit (ENCOUNTERS). */
@Entity()
@ObjectType('Encounter')
export class Encounter extends PatientOwned {
  @Field(() => EncounterKind, { nullable: false }) @Column('text') kind: EncounterKind;
  @Field({ nullable: false }) @Column('text') department: string;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') start: Date;
  @Field(() => DateTimeScalar) @Column({ type: 'timestamptz', nullable: true }) end: Date | null;
}
