import { Column, Entity, Index } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { ConsentChannel, Role } from '../enums';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/**
 * One decision about a sharing channel. Rows are history: a new decision withdraws the previous
 * one. A decision for a child of 12–15 needs both the parent/guardian and the child; until the
 * second confirms, confirmedAt is null and the decision does not count.
 */
@Entity()
@Index(['patientId', 'channel'])
@ObjectType('Consent')
export class Consent extends PatientOwned {
  @Field(() => ConsentChannel, { nullable: false }) @Column('text') channel: ConsentChannel;
  @Field({ nullable: false }) @Column('boolean') granted: boolean;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') decidedAt: Date;
  @Field({ nullable: false }) @Column('text') decidedBy: string;
  @Column('text') decidedByRole: Role;
  @Field(() => String) @Column({ type: 'text', nullable: true }) coDecidedBy: string | null;
  /** When the decision took effect (both parties confirmed, where two are needed). */
  @Field(() => DateTimeScalar) @Column({ type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Field(() => DateTimeScalar) @Column({ type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
}
