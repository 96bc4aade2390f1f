import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';

/**
 * A family history entry (FAMILY_HISTORY). The relative's identity and details are about
 * another person and are THIRD_PARTY: the treating clinician's only.
 */
@Entity()
@ObjectType('FamilyHistoryEntry')
export class FamilyHistoryEntry extends PatientOwned {
  @Field({ nullable: false }) @Column('text') relationship: string;
  @Field({ nullable: false }) @Column('text') condition: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) relativeName: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) relativeDetails: string | null;
}
