import { Column, Entity, Index } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { ObjectionKind } from '../enums';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** An objection (GP portal block, TRIX, cancer registry, research, trainees); stays until withdrawn. */
@Entity()
@Index(['patientId', 'kind'])
@ObjectType('Objection')
export class Objection extends PatientOwned {
  @Field(() => ObjectionKind, { nullable: false }) @Column('text') kind: ObjectionKind;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') lodgedAt: Date;
  @Field({ nullable: false }) @Column('text') lodgedBy: string;
  /** SELF, PARENT, PARTNER, FAMILY_MEMBER, LEGAL_REPRESENTATIVE, … */
  @Field({ nullable: false }) @Column('text') lodgedByRelation: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) evidenceRef: string | null;
  @Field(() => DateTimeScalar) @Column({ type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
  @Column({ type: 'text', nullable: true }) withdrawnBy: string | null;
}
