import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { Patient } from '../patient/patient.entity';

/** The patient's health insurance (INSURANCE); insurerId is the insurer's organisation. */
@Entity()
@ObjectType('Insurance')
export class Insurance {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('uuid') patientId: string;
  @OneToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Field({ nullable: false }) @Index() @Column('text') insurerId: string;
  @Field({ nullable: false }) @Column('text') insurerName: string;
  @Field({ nullable: false }) @Column('text') policyNumber: string;
}
