import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { LabSpecimen } from '../enums';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** A blood or urine result (LAB), coded LOINC-style. */
@Entity()
@ObjectType('LabResult')
export class LabResult extends PatientOwned {
  @Field(() => LabSpecimen, { nullable: false }) @Column('text') specimen: LabSpecimen;
  @Field({ nullable: false }) @Column('text') code: string;
  @Field({ nullable: false }) @Column('text') display: string;
  @Field({ nullable: false }) @Column('text') value: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) unit: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) referenceRange: string | null;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') observedAt: Date;
}
