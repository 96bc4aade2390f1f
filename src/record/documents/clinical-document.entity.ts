import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { DocumentType } from '../enums';
import { PatientOwned } from '../patient-owned';
import { Practitioner } from '../practitioner/practitioner.entity';
import { DateTimeScalar } from '../scalars';

/**
 * A clinical document. Each row belongs to the category of its type (DOCUMENT_CATEGORY); a
 * section about another person is THIRD_PARTY.
 */
@Entity()
@ObjectType('ClinicalDocument')
export class ClinicalDocument extends PatientOwned {
  @Field(() => DocumentType, { nullable: false }) @Index() @Column('text') type: DocumentType;
  @Field({ nullable: false }) @Column('text') title: string;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') authoredAt: Date;
  @Index() @Column({ type: 'uuid', nullable: true }) authorId: string | null;
  @ManyToOne(() => Practitioner) @JoinColumn() author?: Practitioner;
  @Field({ nullable: false }) @Column('text') body: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) thirdPartySection: string | null;
  /** For patient statements and second opinions: the portal subject who added it. */
  @Column({ type: 'text', nullable: true }) submittedBy: string | null;
}
