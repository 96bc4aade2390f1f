import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { Patient } from '../patient/patient.entity';

/** Special personal data of GDPR art. 9 (SPECIAL_CATEGORY): one row per patient at most. */
@Entity()
@ObjectType('SpecialCategoryData')
export class SpecialCategoryData {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('uuid') patientId: string;
  @OneToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Field(() => String) @Column({ type: 'text', nullable: true }) ethnicity: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) religion: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) sexualBehaviour: string | null;
  @Field(() => [String], { nullable: true }) @Column('text', { array: true, default: () => "'{}'" }) geneticFindings: string[];
}
