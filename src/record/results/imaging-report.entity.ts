import { Column, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** A radiology report with a reference to its images (IMAGING). */
@Entity()
@ObjectType('ImagingReport')
export class ImagingReport extends PatientOwned {
  @Field({ nullable: false }) @Column('text') modality: string;
  @Field({ nullable: false }) @Column('text') bodySite: string;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') performedAt: Date;
  @Field({ nullable: false }) @Column('text') conclusion: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) imageRef: string | null;
}
