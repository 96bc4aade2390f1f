import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateScalar } from '../scalars';

/** A medication statement (MEDICATION). */
@Entity()
@ObjectType('Medication')
export class Medication extends PatientOwned {
  @Field({ nullable: false }) @Column('text') name: string;
  @Field({ nullable: false }) @Column('text') dose: string;
  @Field(() => DateScalar, { nullable: false }) @Column('date') start: string;
  @Field(() => DateScalar) @Column({ type: 'date', nullable: true }) end: string | null;
}
