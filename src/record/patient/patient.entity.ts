import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Gender } from '../enums';
import { DateScalar } from '../scalars';
import { Address } from './address';

/**
 * The patient: identity, BSN and contact details live on this row; every other category is a
 * table of its own keyed by patient_id. Which fields a caller sees is decided by the policy.
 */
@Entity()
@ObjectType('Patient')
export class Patient {
  @Field(() => ID, { nullable: false })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field()
  @Index({ unique: true })
  @Column('text')
  patientNumber: string;

  @Column('text') givenName: string;
  @Column('text') familyName: string;

  @Field(() => DateScalar)
  @Column('date')
  birthDate: string;

  @Field(() => Gender)
  @Column('text')
  gender: Gender;

  /** Validated by the 11-test, also by a CHECK constraint in the database. */
  @Field()
  @Index({ unique: true })
  @Column('text')
  bsn: string;

  @Column(() => Address) address: Address;
  @Column(() => Address) nursingAddress: Address;

  @Field(() => String) @Column({ type: 'text', nullable: true }) phone: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) email: string | null;

  /** The hospital whose patient this is (the ADMIN_STAFF gate). */
  @Column('text') managingOrganisation: string;

  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** Name of a person as given and family name. */
@ObjectType('HumanName')
export class HumanName {
  @Field({ nullable: false }) given: string;
  @Field({ nullable: false }) family: string;
}
