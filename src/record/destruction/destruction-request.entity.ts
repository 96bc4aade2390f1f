import { Column, Entity } from 'typeorm';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

export enum DestructionStatus { REQUESTED = 'REQUESTED', APPROVED = 'APPROVED', REFUSED = 'REFUSED' }

// An enum in the schema, serialised as the same words the field always carried.
registerEnumType(DestructionStatus, {
  name: 'DestructionStatus',
  description: 'Where a request to destroy part of a record stands.',
  valuesConfig: {
    REQUESTED: { description: 'Asked for by the patient or their representative; awaiting the privacy officer.' },
    APPROVED: { description: 'Approved by the privacy officer: the data named in its scope is erased, a tombstone stays in the access log.' },
    REFUSED: { description: 'Refused by the privacy officer, with a reason; nothing was erased.' },
  },
});

/**
 * A request to destroy (part of) a record, filed by the patient or a representative and decided
 * by the privacy officer. `scope` names what to destroy: categories (e.g. "LAB PHOTOS") and/or
 * single rows ("LAB:<id>").
 */
@Entity()
@ObjectType('DestructionRequest')
export class DestructionRequest extends PatientOwned {
  @Field(() => String, { name: 'patientId', nullable: false })
  get patientRef(): string {
    return this.patientId;
  }
  @Field({ nullable: false }) @Column('text') scope: string;
  @Field({ nullable: false }) @Column('text') reason: string;
  @Field(() => DestructionStatus, { nullable: false }) @Column('text') status: DestructionStatus;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') requestedAt: Date;
  @Field({ nullable: false }) @Column('text') requestedBy: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) decidedBy: string | null;
  @Field(() => DateTimeScalar) @Column({ type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) decisionReason: string | null;
}
