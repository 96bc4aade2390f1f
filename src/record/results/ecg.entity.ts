import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** An ECG recording and its interpretation (ECG). */
@Entity()
@ObjectType('Ecg')
export class Ecg extends PatientOwned {
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') recordedAt: Date;
  @Field({ nullable: false }) @Column('text') rhythm: string;
  @Field({ nullable: false }) @Column('text') interpretation: string;
}
