import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** A diagnosis or problem, ICD-10 coded (DIAGNOSES). */
@Entity()
@ObjectType('Diagnosis')
export class Diagnosis extends PatientOwned {
  @Field({ nullable: false }) @Column('text') code: string;
  @Field({ nullable: false }) @Column('text') display: string;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') recordedAt: Date;
}
