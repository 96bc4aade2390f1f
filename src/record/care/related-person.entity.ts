import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Patient } from '../patient/patient.entity';

/** A contact person or legal representative of a patient (RELATIONS). */
@Entity()
@ObjectType('RelatedPerson')
export class RelatedPerson {
  @Field(() => ID, { nullable: false }) @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') patientId: string;
  @ManyToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Field({ nullable: false }) @Column('text') name: string;
  @Field({ nullable: false }) @Column('text') relationship: string;
  @Field(() => String) @Column({ type: 'text', nullable: true }) phone: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) email: string | null;
  @Field({ nullable: false }) @Column('boolean', { default: false }) isLegalRepresentative: boolean;
}
