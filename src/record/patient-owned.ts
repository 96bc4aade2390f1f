import { Column, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Patient } from './patient/patient.entity';

/**
 * Base of every row that belongs to one patient: a uuid, the indexed patient reference (which
 * the policy reads to decide nested fields) and the foreign key.
 */
@ObjectType()
export abstract class PatientOwned {
  @Field(() => ID, { nullable: false })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  patientId: string;

  @ManyToOne(() => Patient, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  patient?: Patient;
}
