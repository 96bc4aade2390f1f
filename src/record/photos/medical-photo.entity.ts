import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** A medical photograph (PHOTOS); identifiable ones need written PHOTOGRAPHY consent. */
@Entity()
@ObjectType('MedicalPhoto')
export class MedicalPhoto extends PatientOwned {
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') takenAt: Date;
  @Field({ nullable: false }) @Column('boolean') identifiable: boolean;
  @Field({ nullable: false }) @Column('text') uri: string;
}
