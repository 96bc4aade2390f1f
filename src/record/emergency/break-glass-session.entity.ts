import { Column, Entity, Index } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** An emergency access opened by a clinician without a care relationship, with a written reason. */
@Entity()
@Index(['clinicianSubject', 'patientId'])
@ObjectType('BreakGlassSession')
export class BreakGlassSession extends PatientOwned {
  @Field(() => ID, { name: 'patientId', nullable: false })
  get patientRef(): string {
    return this.patientId;
  }
  @Column('text') clinicianSubject: string;
  @Field({ nullable: false }) @Column('text') reason: string;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') openedAt: Date;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') expiresAt: Date;
}
