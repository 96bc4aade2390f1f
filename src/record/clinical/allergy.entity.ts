import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';

/** An allergy or intolerance (DIAGNOSES). */
@Entity()
@ObjectType('Allergy')
export class Allergy extends PatientOwned {
  @Field({ nullable: false }) @Column('text') substance: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) reaction: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) severity: string | null;
}
